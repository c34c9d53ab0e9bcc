package dev.conduit.admin;

import static dev.conduit.admin.AdminJson.blocking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.config.ProviderConfig;
import dev.conduit.core.TextRules;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.RegionalEndpoints;
import dev.conduit.route.HealthChecker;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/admin/providers}: the runbook's provider operations (health, health check, enable and
 * disable, circuit reset, regional endpoints) and provider definitions (CRUD).
 */
public final class ProviderAdminRoutes implements AdminRoutes {
  private static final String BASE = "/api/admin/providers";

  /** The keys of a {@code providers[]} entry in the file, whatever a provider type adds. */
  private static final Set<String> DEFINITION_FIELDS = definitionFields();

  private static final Set<String> CONFIG_FIELDS = Set.of("provider", "regionalEndpoints");

  private final ProviderRegistry providers;

  private static Set<String> definitionFields() {
    Set<String> fields = new LinkedHashSet<>(ProviderConfig.COMMON_KEYS);
    ProviderRegistry.configTypes().values().forEach(fields::addAll);
    return Set.copyOf(fields);
  }

  private final RoutingAdmin admin;
  private final ProviderViews views;
  private final HealthChecker checker;

  ProviderAdminRoutes(
      ProviderRegistry providers, RoutingAdmin admin, ProviderViews views, HealthChecker checker) {
    this.providers = providers;
    this.admin = admin;
    this.views = views;
    this.checker = checker;
  }

  @Override
  public void mount(Router router) {
    router.get(BASE + "/health").handler(this::health);
    router.post(BASE + "/health/check").handler(this::check);
    router.post(BASE + "/config").handler(this::configure);
    router.get(BASE).handler(this::list);
    router.post(BASE).handler(this::create);
    router.get(BASE + "/:name").handler(this::get);
    router.put(BASE + "/:name").handler(this::replace);
    router.delete(BASE + "/:name").handler(this::delete);
    router.patch(BASE + "/:name/disable").handler(context -> setEnabled(context, false));
    router.patch(BASE + "/:name/enable").handler(context -> setEnabled(context, true));
    router.post(BASE + "/:name/reset-circuit").handler(this::resetCircuit);
  }

  private void health(RoutingContext context) {
    AdminJson.send(context, 200, new HealthList(healthOfAll(), null));
  }

  private void check(RoutingContext context) {
    AdminJson.reply(
        context, 200, checker.checkAll().map(results -> new HealthList(healthOfAll(), results)));
  }

  private List<ProviderViews.Health> healthOfAll() {
    List<ProviderViews.Health> all = new ArrayList<>();
    for (Provider provider : providers.all()) {
      all.add(views.health(provider));
    }
    return all;
  }

  private void setEnabled(RoutingContext context, boolean enabled) {
    String name = context.pathParam("name");
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              admin.setEnabled(name, enabled);
              return views.health(find(name));
            }));
  }

  private void resetCircuit(RoutingContext context) {
    String name = context.pathParam("name");
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              admin.resetCircuits(name);
              return views.health(find(name));
            }));
  }

  private void configure(RoutingContext context) {
    JsonNode body = AdminJson.body(context, CONFIG_FIELDS);
    String name = AdminText.name(body, "provider", true);
    Map<String, String> endpoints = regionalEndpoints(body.get("regionalEndpoints"));
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              admin.setRegionalEndpoints(name, endpoints);
              return new RegionalConfig(name, find(name).regionalEndpoints());
            }));
  }

  private static Map<String, String> regionalEndpoints(JsonNode value) {
    if (value == null || !value.isObject()) {
      throw AdminJson.bad(
          "'regionalEndpoints' is required: an object of region name to " + "http(s) URL.",
          "regionalEndpoints");
    }
    Map<String, String> endpoints = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (TextRules.nameProblem(field.getKey()) != null) {
        throw AdminJson.bad(
            "'regionalEndpoints' keys are region names: " + TextRules.NAME_RULE + ".",
            "regionalEndpoints");
      }
      String key = "regionalEndpoints." + field.getKey();
      if (!field.getValue().isTextual()
          || TextRules.textProblem(field.getValue().asText(), TextRules.MAX_VALUE) != null
          || !RegionalEndpoints.isHttpUrl(field.getValue().asText())) {
        throw AdminJson.bad("'" + key + "' must be an http:// or https:// URL.", key);
      }
      endpoints.put(field.getKey(), field.getValue().asText());
    }
    return endpoints;
  }

  private void list(RoutingContext context) {
    List<com.fasterxml.jackson.databind.node.ObjectNode> all = new ArrayList<>();
    for (Provider provider : providers.all()) {
      all.add(views.definition(provider));
    }
    AdminJson.send(context, 200, new DefinitionList(all));
  }

  private void get(RoutingContext context) {
    AdminJson.send(context, 200, views.definition(find(context.pathParam("name"))));
  }

  private void create(RoutingContext context) {
    JsonNode body = AdminJson.body(context, DEFINITION_FIELDS);
    AdminText.name(body, "name", true);
    DefinitionChecks.check(body, ProviderConfig.class);
    DefinitionChecks.checkTypeKeys(body, ProviderConfig.COMMON_KEYS);
    ProviderConfig definition = RoutingAdmin.bind(body, ProviderConfig.class);
    AdminJson.reply(
        context,
        201,
        blocking(
            context,
            () -> {
              admin.createProvider(definition);
              return views.definition(find(definition.name()));
            }));
  }

  private void replace(RoutingContext context) {
    String name = context.pathParam("name");
    JsonNode body = AdminJson.body(context, DEFINITION_FIELDS);
    if (body.has("name") && !name.equals(body.get("name").asText())) {
      throw AdminJson.bad("'name' must match the path (renaming is not supported).", "name");
    }
    ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("name", name);
    DefinitionChecks.check(body, ProviderConfig.class);
    DefinitionChecks.checkTypeKeys(body, ProviderConfig.COMMON_KEYS);
    ProviderConfig definition = RoutingAdmin.bind(body, ProviderConfig.class);
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              admin.replaceProvider(name, definition);
              return views.definition(find(name));
            }));
  }

  private void delete(RoutingContext context) {
    String name = context.pathParam("name");
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              admin.deleteProvider(name);
              return new Deleted(name, true);
            }));
  }

  private Provider find(String name) {
    return providers
        .find(name)
        .orElseThrow(() -> RoutingAdmin.notFound("No provider named '" + name + "'."));
  }

  /** {@code {"data": [...], "checks": [...]}}; checks only after a health check run. */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record HealthList(List<ProviderViews.Health> data, List<HealthChecker.Result> checks) {}

  record DefinitionList(List<com.fasterxml.jackson.databind.node.ObjectNode> data) {}

  record RegionalConfig(String provider, Map<String, String> regionalEndpoints) {}

  record Deleted(String name, boolean deleted) {}
}
