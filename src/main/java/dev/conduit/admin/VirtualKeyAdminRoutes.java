package dev.conduit.admin;

import static dev.conduit.admin.AdminJson.blocking;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Cidr;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Usd;
import dev.conduit.keys.KeyGroupService;
import dev.conduit.keys.SpendBook;
import dev.conduit.keys.VirtualKeyService;
import dev.conduit.store.BudgetPeriod;
import dev.conduit.store.KeyLimits;
import dev.conduit.store.VirtualKey;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /api/admin/virtual-keys}: create, list, read, change and revoke virtual keys. */
public final class VirtualKeyAdminRoutes implements AdminRoutes {
  private static final String BASE = "/api/admin/virtual-keys";
  private static final Set<String> LIMIT_FIELDS =
      Set.of("maxBudget", "budgetPeriod", "rpm", "rpd", "tpm", "groupId", "ipAllowlist");
  private static final Set<String> CREATE_FIELDS =
      union(Set.of("name", "allowedModels", "expiresAt", "metadata"), LIMIT_FIELDS);
  private static final Set<String> PATCH_FIELDS =
      union(Set.of("name", "allowedModels", "expiresAt", "metadata", "enabled"), LIMIT_FIELDS);

  private final VirtualKeyService keys;
  private final KeyGroupService groups;
  private final SpendBook spend;
  private final Clock clock;

  public VirtualKeyAdminRoutes(
      VirtualKeyService keys, KeyGroupService groups, SpendBook spend, Clock clock) {
    this.keys = keys;
    this.groups = groups;
    this.spend = spend;
    this.clock = clock;
  }

  @Override
  public void mount(Router router) {
    router.post(BASE).handler(this::create);
    router.get(BASE).handler(this::list);
    router.get(BASE + "/:id").handler(this::get);
    router.patch(BASE + "/:id").handler(this::update);
    router.delete(BASE + "/:id").handler(this::revoke);
  }

  private void create(RoutingContext context) {
    JsonNode body = AdminJson.body(context, CREATE_FIELDS);
    String name = AdminText.label(body, "name", true);
    List<String> allowedModels = AdminText.names(body, "allowedModels", true);
    Instant expiresAt = futureInstant(body);
    JsonNode metadata = AdminText.metadata(body, "metadata");
    LimitsChange limitsChange = LimitsChange.from(body);
    KeyLimits limits = limitsChange.applyTo(KeyLimits.NONE);
    AdminJson.reply(
        context,
        201,
        blocking(
            context,
            () -> {
              checkGroup(limits);
              VirtualKeyService.Created created =
                  keys.create(name, allowedModels, expiresAt, metadata, limits);
              return view(created.key(), created.secret());
            }));
  }

  private void list(RoutingContext context) {
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              List<VirtualKey> all = keys.list();
              Map<String, long[]> spent = spendOf(all);
              List<KeyView> views = new ArrayList<>(all.size());
              for (VirtualKey key : all) {
                long[] amounts = spent.getOrDefault(key.id(), new long[2]);
                views.add(KeyView.of(key, null, amounts[0], amounts[1], clock.instant()));
              }
              return new KeyList(views);
            }));
  }

  private void get(RoutingContext context) {
    String id = context.pathParam("id");
    AdminJson.reply(
        context,
        200,
        blocking(context, () -> view(keys.find(id).orElseThrow(() -> notFound(id)), null)));
  }

  private void update(RoutingContext context) {
    String id = context.pathParam("id");
    JsonNode body = AdminJson.body(context, PATCH_FIELDS);
    VirtualKeyService.KeyChange change = changeFrom(body);
    LimitsChange limitsChange = LimitsChange.from(body);
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              VirtualKey existing = keys.find(id).orElseThrow(() -> notFound(id));
              KeyLimits limits = limitsChange.applyTo(existing.limits());
              if (!limits.equals(existing.limits())) {
                checkGroup(limits);
              }
              VirtualKey changed =
                  keys.update(id, key -> change.apply(key).withLimits(limits))
                      .orElseThrow(() -> notFound(id));
              return view(changed, null);
            }));
  }

  private void revoke(RoutingContext context) {
    String id = context.pathParam("id");
    AdminJson.reply(
        context,
        200,
        blocking(context, () -> view(keys.revoke(id).orElseThrow(() -> notFound(id)), null)));
  }

  private void checkGroup(KeyLimits limits) throws SQLException {
    if (limits.groupId() != null && !groups.exists(limits.groupId())) {
      throw AdminJson.bad("No key group with id '" + limits.groupId() + "'.", "groupId");
    }
  }

  private KeyView view(VirtualKey key, String secret) throws SQLException {
    long[] spent = spendOf(List.of(key)).getOrDefault(key.id(), new long[2]);
    return KeyView.of(key, secret, spent[0], spent[1], clock.instant());
  }

  /** Current-period and total spend of many keys, in a few queries. */
  private Map<String, long[]> spendOf(List<VirtualKey> all) throws SQLException {
    Instant now = clock.instant();
    Set<String> ids = new HashSet<>();
    Map<LocalDate, Set<String>> byPeriodStart = new HashMap<>();
    for (VirtualKey key : all) {
      ids.add(key.id());
      if (key.limits().hasBudget() && key.limits().budgetPeriod() != BudgetPeriod.TOTAL) {
        byPeriodStart
            .computeIfAbsent(key.limits().budgetPeriod().startDay(now), day -> new HashSet<>())
            .add(key.id());
      }
    }
    Map<String, long[]> result = new HashMap<>();
    spend.keySpend(ids, null).forEach((id, nanos) -> result.put(id, new long[] {nanos, nanos}));
    for (Map.Entry<LocalDate, Set<String>> period : byPeriodStart.entrySet()) {
      Map<String, Long> inPeriod = spend.keySpend(period.getValue(), period.getKey());
      for (String id : period.getValue()) {
        result.computeIfAbsent(id, key -> new long[2])[0] = inPeriod.getOrDefault(id, 0L);
      }
    }
    return result;
  }

  /** Reads a PATCH body into a change; fields left out keep their value, null clears. */
  private VirtualKeyService.KeyChange changeFrom(JsonNode body) {
    String name = body.has("name") ? AdminText.label(body, "name", true) : null;
    boolean setModels = body.has("allowedModels");
    List<String> models = AdminText.names(body, "allowedModels", true);
    boolean setExpiry = body.has("expiresAt");
    Instant expiresAt = futureInstant(body);
    boolean setMetadata = body.has("metadata");
    JsonNode metadata = AdminText.metadata(body, "metadata");
    Boolean enabled = null;
    if (body.has("enabled")) {
      if (!body.get("enabled").isBoolean()) {
        throw AdminJson.bad("'enabled' must be true or false.", "enabled");
      }
      enabled = body.get("enabled").asBoolean();
    }
    Boolean newEnabled = enabled;
    return key ->
        new VirtualKey(
            key.id(),
            name != null ? name : key.name(),
            key.keyHash(),
            key.keyHint(),
            setModels ? models : key.allowedModels(),
            setExpiry ? expiresAt : key.expiresAt(),
            setMetadata ? metadata : key.metadata(),
            newEnabled != null ? newEnabled : key.enabled(),
            key.revokedAt(),
            key.createdAt(),
            key.updatedAt(),
            key.limits());
  }

  private Instant futureInstant(JsonNode body) {
    Instant value = AdminJson.instant(body, "expiresAt");
    if (value != null && !value.isAfter(clock.instant())) {
      throw AdminJson.bad("'expiresAt' must be in the future.", "expiresAt");
    }
    return value;
  }

  private static GatewayException notFound(String id) {
    return new GatewayException(GatewayError.notFound("No virtual key with id '" + id + "'."));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  /** The limit fields of a create or PATCH body: those present replace, null clears. */
  private record LimitsChange(
      JsonNode body,
      Long maxBudget,
      BudgetPeriod period,
      Long rpm,
      Long rpd,
      Long tpm,
      String groupId,
      List<Cidr> ipAllowlist) {

    static LimitsChange from(JsonNode body) {
      BudgetPeriod period = null;
      String periodName = AdminText.text(body, "budgetPeriod", false, 16);
      if (periodName != null) {
        period =
            BudgetPeriod.fromWireName(periodName)
                .orElseThrow(
                    () ->
                        AdminJson.bad(
                            "'budgetPeriod' must be one of daily, weekly, monthly, total.",
                            "budgetPeriod"));
      }
      List<Cidr> allowlist = null;
      List<String> cidrs = AdminText.names(body, "ipAllowlist", false);
      if (cidrs != null) {
        allowlist = new ArrayList<>();
        for (String cidr : cidrs) {
          allowlist.add(
              Cidr.parse(cidr)
                  .orElseThrow(
                      () ->
                          AdminJson.bad(
                              "'ipAllowlist' entry '"
                                  + cidr
                                  + "' is not an IPv4 or IPv6 address or CIDR block.",
                              "ipAllowlist")));
        }
      }
      return new LimitsChange(
          body,
          AdminValues.money(body, "maxBudget", false),
          period,
          AdminValues.positiveLong(body, "rpm"),
          AdminValues.positiveLong(body, "rpd"),
          AdminValues.positiveLong(body, "tpm"),
          AdminText.name(body, "groupId", false),
          allowlist);
    }

    KeyLimits applyTo(KeyLimits current) {
      Long newBudget = body.has("maxBudget") ? maxBudget : current.maxBudgetNanos();
      BudgetPeriod newPeriod = body.has("budgetPeriod") ? period : current.budgetPeriod();
      if (newBudget == null && body.has("budgetPeriod") && period != null) {
        throw AdminJson.bad("'budgetPeriod' needs a 'maxBudget'.", "budgetPeriod");
      }
      if (newBudget == null) {
        newPeriod = null;
      }
      return new KeyLimits(
          newBudget,
          newPeriod,
          body.has("rpm") ? rpm : current.rpm(),
          body.has("rpd") ? rpd : current.rpd(),
          body.has("tpm") ? tpm : current.tpm(),
          body.has("groupId") ? groupId : current.groupId(),
          body.has("ipAllowlist") ? ipAllowlist : current.ipAllowlist());
    }
  }

  /** A key as the admin API shows it: never the hash, the secret only right after creation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record KeyView(
      String id,
      String name,
      String key,
      String keyHint,
      List<String> allowedModels,
      Instant expiresAt,
      JsonNode metadata,
      boolean enabled,
      boolean revoked,
      Instant revokedAt,
      Instant createdAt,
      BigDecimal maxBudget,
      String budgetPeriod,
      Instant budgetResetsAt,
      Long rpm,
      Long rpd,
      Long tpm,
      String groupId,
      List<String> ipAllowlist,
      BigDecimal spend,
      BigDecimal totalSpend) {

    static KeyView of(
        VirtualKey key, String secret, long periodSpend, long totalSpend, Instant now) {
      KeyLimits limits = key.limits();
      return new KeyView(
          key.id(),
          key.name(),
          secret,
          key.keyHint(),
          key.allowedModels(),
          key.expiresAt(),
          key.metadata(),
          key.enabled(),
          key.isRevoked(),
          key.revokedAt(),
          key.createdAt(),
          limits.maxBudgetNanos() == null ? null : Usd.toDollars(limits.maxBudgetNanos()),
          limits.budgetPeriod() == null ? null : limits.budgetPeriod().wireName(),
          limits.budgetPeriod() == null ? null : limits.budgetPeriod().resetsAt(now),
          limits.rpm(),
          limits.rpd(),
          limits.tpm(),
          limits.groupId(),
          limits.ipAllowlist().stream().map(Cidr::toString).toList(),
          Usd.toDollars(periodSpend),
          Usd.toDollars(totalSpend));
    }

    @Override
    public String toString() {
      return "KeyView[" + id + "]";
    }
  }

  /** The list response: {@code {"data": [...]}}. */
  record KeyList(List<KeyView> data) {}
}
