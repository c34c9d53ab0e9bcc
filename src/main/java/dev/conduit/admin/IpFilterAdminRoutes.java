package dev.conduit.admin;

import static dev.conduit.admin.AdminJson.blocking;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Cidr;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.keys.IpFilterService;
import dev.conduit.store.IpFilter;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** {@code /api/admin/ip-filters}: gateway-wide allow and deny rules on callers' addresses. */
public final class IpFilterAdminRoutes implements AdminRoutes {
  private static final String BASE = "/api/admin/ip-filters";

  private final IpFilterService filters;

  public IpFilterAdminRoutes(IpFilterService filters) {
    this.filters = filters;
  }

  @Override
  public void mount(Router router) {
    router.get(BASE).handler(this::list);
    router.post(BASE).handler(this::create);
    router.delete(BASE + "/:id").handler(this::delete);
  }

  private void list(RoutingContext context) {
    AdminJson.reply(
        context,
        200,
        blocking(
            context, () -> new FilterList(filters.list().stream().map(FilterView::of).toList())));
  }

  private void create(RoutingContext context) {
    JsonNode body = AdminJson.body(context, Set.of("cidr", "action", "description"));
    String text = AdminText.text(body, "cidr", true, 64);
    Cidr cidr =
        Cidr.parse(text)
            .orElseThrow(
                () ->
                    AdminJson.bad(
                        "'cidr' must be an IPv4 or "
                            + "IPv6 address or CIDR block such as 10.0.0.0/8 or 2001:db8::/32.",
                        "cidr"));
    String action = AdminText.text(body, "action", true, 16);
    if (!action.equals("allow") && !action.equals("deny")) {
      throw AdminJson.bad("'action' must be 'allow' or 'deny'.", "action");
    }
    String description = AdminText.note(body, "description", false);
    AdminJson.reply(
        context,
        201,
        blocking(
            context,
            () -> FilterView.of(filters.create(cidr, action.equals("allow"), description))));
  }

  private void delete(RoutingContext context) {
    String id = context.pathParam("id");
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              if (!filters.delete(id)) {
                throw new GatewayException(
                    GatewayError.notFound("No IP filter with id '" + id + "'."));
              }
              return new AdminJson.Deleted(id, true);
            }));
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FilterView(String id, String cidr, String action, String description, Instant createdAt) {
    static FilterView of(IpFilter filter) {
      return new FilterView(
          filter.id(),
          filter.cidr().toString(),
          filter.action(),
          filter.description(),
          filter.createdAt());
    }
  }

  record FilterList(List<FilterView> data) {}
}
