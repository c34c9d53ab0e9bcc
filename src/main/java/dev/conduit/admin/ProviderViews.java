package dev.conduit.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.config.EnvReferences;
import dev.conduit.config.ProviderConfig;
import dev.conduit.core.Json;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.route.Deployment;
import dev.conduit.route.DeploymentState;
import dev.conduit.route.DeploymentStates;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.ModelRoute;
import dev.conduit.route.ProviderHealth;
import dev.conduit.route.RoutingSync;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How providers look in the admin API: definitions (keys as hints only) and health. */
final class ProviderViews {
  private final ModelCatalog catalog;
  private final DeploymentStates states;
  private final ProviderHealth health;
  private final RoutingSync sync;

  ProviderViews(
      ModelCatalog catalog, DeploymentStates states, ProviderHealth health, RoutingSync sync) {
    this.catalog = catalog;
    this.states = states;
    this.health = health;
    this.sync = sync;
  }

  /** One deployment of a provider and its circuit. */
  record DeploymentView(
      String deployment,
      String model,
      String region,
      List<String> aliases,
      String circuitState,
      int inFlight,
      Long latencyMs) {}

  /** Latency percentiles of recent calls, in ms (null before any call). */
  record Latency(Long p50, Long p95) {}

  /** Keys held and keys still in rotation. */
  record Keys(int total, int active) {}

  /** A provider's health, as {@code GET /api/admin/providers/health} lists it. */
  record Health(
      String name,
      String type,
      String status,
      boolean enabled,
      String reason,
      String lastError,
      Instant lastErrorAt,
      Instant lastCheck,
      Boolean lastCheckOk,
      Long lastCheckLatencyMs,
      Latency latencyMs,
      double errorRate,
      int recentCalls,
      Keys apiKeys,
      Map<String, String> regionalEndpoints,
      List<DeploymentView> deployments) {}

  /**
   * A provider definition as its configuration keys (whatever its type adds), API keys and other
   * secrets ({@link ProviderRegistry#secretSettingKeys()}) only as their last four characters, plus
   * its run-time state and where it is defined.
   */
  ObjectNode definition(Provider provider) {
    ProviderConfig config = provider.config();
    List<String> hints = new ArrayList<>();
    for (String key : config.allApiKeys()) {
      hints.add(
          EnvReferences.unresolvedVariable(key)
              .map(variable -> "${" + variable + "} (not set)")
              .orElse(ApiKeyRing.hint(key)));
    }
    ObjectNode view = Json.MAPPER.valueToTree(config);
    view.remove("apiKey");
    view.set("apiKeys", Json.MAPPER.valueToTree(hints));
    for (String secret : ProviderRegistry.secretSettingKeys()) {
      if (view.path(secret).isTextual()) {
        String value = view.path(secret).asText();
        view.put(
            secret,
            EnvReferences.unresolvedVariable(value)
                .map(variable -> "${" + variable + "} (not set)")
                .orElse(ApiKeyRing.hint(value)));
      }
    }
    view.put("enabled", provider.enabled());
    view.set("regionalEndpoints", Json.MAPPER.valueToTree(provider.regionalEndpoints()));
    view.put("source", sync.current().providerSource(provider.name()));
    return view;
  }

  Health health(Provider provider) {
    List<DeploymentView> deployments = new ArrayList<>();
    List<DeploymentState> deploymentStates = new ArrayList<>();
    Map<String, List<String>> aliases = new LinkedHashMap<>();
    Map<String, Deployment> byId = new LinkedHashMap<>();
    for (ModelRoute route : catalog.all()) {
      for (Deployment deployment : route.deployments()) {
        if (deployment.provider().name().equals(provider.name())) {
          byId.putIfAbsent(deployment.id(), deployment);
          aliases.computeIfAbsent(deployment.id(), id -> new ArrayList<>()).add(route.alias());
        }
      }
    }
    for (Deployment deployment : byId.values()) {
      DeploymentState state = states.of(deployment);
      deploymentStates.add(state);
      deployments.add(
          new DeploymentView(
              deployment.id(),
              deployment.model(),
              deployment.region(),
              aliases.get(deployment.id()),
              state.circuitState(),
              state.inFlight(),
              state.latencyMs() < 0 ? null : Math.round(state.latencyMs())));
    }
    ProviderHealth.Snapshot snapshot = health.snapshot(provider.name());
    ProviderHealth.Verdict verdict = health.status(provider, deploymentStates);
    return new Health(
        provider.name(),
        provider.config().type(),
        verdict.status().label(),
        provider.enabled(),
        verdict.reason(),
        snapshot.lastError(),
        snapshot.lastErrorAt(),
        snapshot.lastCheckAt(),
        snapshot.lastCheckOk(),
        snapshot.lastCheckAt() == null ? null : snapshot.lastCheckLatencyMs(),
        new Latency(
            snapshot.p50Ms() < 0 ? null : snapshot.p50Ms(),
            snapshot.p95Ms() < 0 ? null : snapshot.p95Ms()),
        Math.round(snapshot.errorRate() * 1000) / 1000.0,
        snapshot.calls(),
        new Keys(provider.keys().size(), provider.keys().activeCount()),
        provider.regionalEndpoints(),
        deployments);
  }
}
