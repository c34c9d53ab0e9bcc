package dev.conduit.admin;

import static dev.conduit.admin.AdminJson.blocking;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.cache.ResponseCache;
import dev.conduit.route.Deployment;
import dev.conduit.route.DeploymentStates;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.ModelRoute;
import dev.conduit.route.RoutingSync;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code POST /api/admin/cache/warm}: prepares aliases for traffic. For each alias it reloads
 * routing data, resolves the deployments, sets up their circuit state, and opens pooled connections
 * (TLS done) from every event loop to each deployment's upstream; with both cache tiers, it also
 * copies the alias's answers stored in Redis into the memory tier ({@code cacheEntriesLoaded}).
 */
public final class CacheWarmRoutes implements AdminRoutes {
  private static final Set<String> FIELDS = Set.of("models");

  private final ModelCatalog catalog;
  private final DeploymentStates states;
  private final RoutingSync sync;
  private final Function<Deployment, Optional<Future<Void>>> warmer;
  private final ResponseCache cache;

  /**
   * @param warmer opens connections to a deployment's upstream; empty when there is nothing to warm
   *     (an in-process provider)
   */
  public CacheWarmRoutes(
      ModelCatalog catalog,
      DeploymentStates states,
      RoutingSync sync,
      Function<Deployment, Optional<Future<Void>>> warmer,
      ResponseCache cache) {
    this.cache = cache;
    this.catalog = catalog;
    this.states = states;
    this.sync = sync;
    this.warmer = warmer;
  }

  @Override
  public void mount(Router router) {
    router.post("/api/admin/cache/warm").handler(this::warm);
  }

  private void warm(RoutingContext context) {
    JsonNode body = AdminJson.body(context, FIELDS);
    List<String> models = AdminText.names(body, "models", false);
    if (models == null) {
      throw AdminJson.bad("'models' is required: a list of model aliases.", "models");
    }
    Future<Void> refreshed =
        blocking(
            context,
            () -> {
              sync.reloadIfChanged();
              return null;
            });
    AdminJson.reply(
        context,
        200,
        refreshed.compose(
            v -> {
              List<Future<ModelResult>> results = new ArrayList<>();
              for (String model : models) {
                results.add(warmModel(model));
              }
              return Future.join(results)
                  .transform(
                      done -> {
                        List<ModelResult> data = new ArrayList<>();
                        results.forEach(result -> data.add(result.result()));
                        return Future.succeededFuture(new WarmResult(data));
                      });
            }));
  }

  private Future<ModelResult> warmModel(String alias) {
    Optional<ModelRoute> route = catalog.find(alias);
    if (route.isEmpty()) {
      return Future.succeededFuture(
          new ModelResult(
              alias,
              "not_found",
              "No model alias '" + alias + "' is configured.",
              List.of(),
              null,
              null));
    }
    List<Future<DeploymentResult>> deployments = new ArrayList<>();
    for (Deployment deployment : route.get().deployments()) {
      states.of(deployment);
      Optional<String> why = deployment.provider().whyNotServing();
      if (why.isPresent()) {
        deployments.add(
            Future.succeededFuture(new DeploymentResult(deployment.id(), "skipped", why.get())));
        continue;
      }
      deployments.add(
          warmer
              .apply(deployment)
              .map(
                  warming ->
                      warming.transform(
                          done ->
                              Future.succeededFuture(
                                  done.succeeded()
                                      ? new DeploymentResult(deployment.id(), "connected", null)
                                      : new DeploymentResult(
                                          deployment.id(), "failed", done.cause().getMessage()))))
              .orElse(
                  Future.succeededFuture(new DeploymentResult(deployment.id(), "ready", null))));
    }
    Future<Long> loaded =
        cache == null ? Future.succeededFuture() : cache.loadIntoMemory(route.get().alias());
    return Future.join(Future.join(deployments), loaded)
        .transform(
            done -> {
              List<DeploymentResult> results = new ArrayList<>();
              deployments.forEach(result -> results.add(result.result()));
              boolean anyReady =
                  results.stream()
                      .anyMatch(r -> r.status().equals("connected") || r.status().equals("ready"));
              boolean allReady =
                  results.stream()
                      .allMatch(r -> r.status().equals("connected") || r.status().equals("ready"));
              String status = allReady ? "warmed" : anyReady ? "partial" : "failed";
              return Future.succeededFuture(
                  new ModelResult(
                      alias,
                      status,
                      null,
                      results,
                      loaded.succeeded() ? loaded.result() : null,
                      loaded.failed() ? loaded.cause().getMessage() : null));
            });
  }

  /** The answer: one result per model asked for, in order. */
  record WarmResult(List<ModelResult> data) {}

  /**
   * @param status {@code warmed}, {@code partial}, {@code failed} or {@code not_found}
   */
  /**
   * @param cacheEntriesLoaded answers copied from Redis into the memory tier; absent without both
   *     tiers
   * @param cacheError why loading them failed (Redis did not answer), when it did
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ModelResult(
      String model,
      String status,
      String message,
      List<DeploymentResult> deployments,
      Long cacheEntriesLoaded,
      String cacheError) {}

  /**
   * @param status {@code connected}, {@code ready} (nothing to connect), {@code failed} or {@code
   *     skipped} (provider disabled or not configured)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DeploymentResult(String deployment, String status, String error) {}
}
