package dev.conduit.admin;

import static dev.conduit.admin.AdminJson.blocking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.config.DeploymentConfig;
import dev.conduit.config.ModelConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code /api/admin/model-mappings}: aliases and their deployments, changed without restart. */
public final class ModelMappingAdminRoutes implements AdminRoutes {
  private static final String BASE = "/api/admin/model-mappings";
  private static final Set<String> FIELDS = RoutingAdmin.fieldsOf(ModelConfig.class);

  private final RoutingAdmin admin;

  ModelMappingAdminRoutes(RoutingAdmin admin) {
    this.admin = admin;
  }

  @Override
  public void mount(Router router) {
    router.get(BASE).handler(this::list);
    router.post(BASE).handler(this::create);
    router.get(BASE + "/:alias").handler(this::get);
    router.put(BASE + "/:alias").handler(this::replace);
    router.delete(BASE + "/:alias").handler(this::delete);
  }

  private void list(RoutingContext context) {
    List<Mapping> all = new ArrayList<>();
    admin.sync().current().models().values().forEach(model -> all.add(view(model)));
    AdminJson.send(context, 200, new MappingList(all));
  }

  private void get(RoutingContext context) {
    AdminJson.send(context, 200, view(find(context.pathParam("alias"))));
  }

  private void create(RoutingContext context) {
    JsonNode body = AdminJson.body(context, FIELDS);
    AdminText.name(body, "alias", true);
    DefinitionChecks.check(body, ModelConfig.class);
    ModelConfig definition = RoutingAdmin.bind(body, ModelConfig.class);
    if (definition.alias() == null || definition.alias().isBlank()) {
      throw AdminJson.bad("'alias' is required and must be a non-empty string.", "alias");
    }
    AdminJson.reply(
        context,
        201,
        blocking(
            context,
            () -> {
              admin.createModel(definition);
              return view(find(definition.alias()));
            }));
  }

  private void replace(RoutingContext context) {
    String alias = context.pathParam("alias");
    JsonNode body = AdminJson.body(context, FIELDS);
    if (body.has("alias") && !alias.equals(body.get("alias").asText())) {
      throw AdminJson.bad("'alias' must match the path (renaming is not supported).", "alias");
    }
    ((ObjectNode) body).put("alias", alias);
    DefinitionChecks.check(body, ModelConfig.class);
    ModelConfig definition = RoutingAdmin.bind(body, ModelConfig.class);
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              admin.replaceModel(alias, definition);
              return view(find(alias));
            }));
  }

  private void delete(RoutingContext context) {
    String alias = context.pathParam("alias");
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              admin.deleteModel(alias);
              return new Deleted(alias, true);
            }));
  }

  private ModelConfig find(String alias) {
    ModelConfig model = admin.sync().current().models().get(alias);
    if (model == null) {
      throw RoutingAdmin.notFound("No model mapping for '" + alias + "'.");
    }
    return model;
  }

  private Mapping view(ModelConfig model) {
    return new Mapping(
        model.alias(),
        model.strategy(),
        model.fallbacks(),
        model.retries(),
        model.deployments(),
        admin.sync().current().modelSource(model.alias()));
  }

  /** A mapping as the admin API shows it, with where it is defined. */
  record Mapping(
      String alias,
      String strategy,
      List<String> fallbacks,
      Integer retries,
      List<DeploymentConfig> deployments,
      String source) {}

  record MappingList(List<Mapping> data) {}

  record Deleted(String alias, boolean deleted) {}
}
