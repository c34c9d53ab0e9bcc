package dev.conduit.admin;

import static dev.conduit.admin.AdminJson.blocking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Usd;
import dev.conduit.keys.KeyGroupService;
import dev.conduit.keys.KeyGroupService.Balance;
import dev.conduit.store.KeyGroupRepository.Transaction;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/admin/key-groups}: groups of keys sharing a prepaid balance, their balance
 * adjustments and transaction history.
 */
public final class KeyGroupAdminRoutes implements AdminRoutes {
  private static final String BASE = "/api/admin/key-groups";

  private final KeyGroupService groups;

  public KeyGroupAdminRoutes(KeyGroupService groups) {
    this.groups = groups;
  }

  @Override
  public void mount(Router router) {
    router.post(BASE).handler(this::create);
    router.get(BASE).handler(this::list);
    router.get(BASE + "/:id").handler(this::get);
    router.put(BASE + "/:id").handler(this::update);
    router.delete(BASE + "/:id").handler(this::delete);
    router.post(BASE + "/:id/adjust-balance").handler(this::adjust);
    router.get(BASE + "/:id/transactions").handler(this::transactions);
  }

  private void create(RoutingContext context) {
    JsonNode body = AdminJson.body(context, Set.of("name", "balance"));
    String name = AdminText.label(body, "name", true);
    Long balance = AdminValues.money(body, "balance", false);
    AdminJson.reply(
        context,
        201,
        blocking(context, () -> GroupView.of(groups.create(name, balance == null ? 0 : balance))));
  }

  private void list(RoutingContext context) {
    AdminJson.reply(
        context,
        200,
        blocking(
            context, () -> new Page<>(groups.list().stream().map(GroupView::of).toList(), null)));
  }

  private void get(RoutingContext context) {
    String id = context.pathParam("id");
    AdminJson.reply(
        context,
        200,
        blocking(context, () -> GroupView.of(groups.find(id).orElseThrow(() -> notFound(id)))));
  }

  private void update(RoutingContext context) {
    String id = context.pathParam("id");
    JsonNode body = AdminJson.body(context, Set.of("name"));
    String name = AdminText.label(body, "name", true);
    AdminJson.reply(
        context,
        200,
        blocking(
            context, () -> GroupView.of(groups.rename(id, name).orElseThrow(() -> notFound(id)))));
  }

  private void delete(RoutingContext context) {
    String id = context.pathParam("id");
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              if (!groups.delete(id)) {
                throw notFound(id);
              }
              return new AdminJson.Deleted(id, true);
            }));
  }

  private void adjust(RoutingContext context) {
    String id = context.pathParam("id");
    JsonNode body = AdminJson.body(context, Set.of("amount", "reason"));
    Long amount = AdminValues.money(body, "amount", true);
    if (amount == null || amount == 0) {
      throw AdminJson.bad(
          "'amount' is required: a non-zero number of US dollars (negative to " + "debit).",
          "amount");
    }
    String reason = AdminText.note(body, "reason", true);
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              Transaction transaction =
                  groups.adjust(id, amount, reason).orElseThrow(() -> notFound(id));
              return new Adjusted(
                  TransactionView.of(transaction),
                  GroupView.of(groups.find(id).orElseThrow(() -> notFound(id))));
            }));
  }

  private void transactions(RoutingContext context) {
    String id = context.pathParam("id");
    int limit = Page.limit(context.request().getParam("limit"));
    Cursor after = Cursor.decode(context.request().getParam("cursor"));
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              if (!groups.exists(id)) {
                throw notFound(id);
              }
              List<Transaction> rows =
                  groups.transactions(
                      id,
                      after == null ? null : after.time(),
                      after == null ? null : after.id(),
                      limit + 1);
              return Page.of(
                  rows, limit, row -> new Cursor(row.createdAt(), row.id()), TransactionView::of);
            }));
  }

  private static GatewayException notFound(String id) {
    return new GatewayException(GatewayError.notFound("No key group with id '" + id + "'."));
  }

  /** A group as the admin API shows it; amounts in US dollars. */
  record GroupView(
      String id,
      String name,
      BigDecimal balance,
      BigDecimal spend,
      BigDecimal credits,
      Instant createdAt) {
    static GroupView of(Balance balance) {
      return new GroupView(
          balance.group().id(),
          balance.group().name(),
          Usd.toDollars(balance.balanceNanos()),
          Usd.toDollars(balance.spendNanos()),
          Usd.toDollars(balance.group().creditsNanos()),
          balance.group().createdAt());
    }
  }

  /** A transaction: {@code adjustment} or hourly {@code usage} (negative). */
  record TransactionView(
      String id, String kind, BigDecimal amount, String reason, Instant createdAt) {
    static TransactionView of(Transaction transaction) {
      return new TransactionView(
          transaction.id(),
          transaction.kind(),
          Usd.toDollars(transaction.amountNanos()),
          transaction.reason(),
          transaction.createdAt());
    }
  }

  record Adjusted(TransactionView transaction, GroupView group) {}
}
