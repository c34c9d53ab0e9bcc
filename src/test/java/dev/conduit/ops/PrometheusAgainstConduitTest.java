package dev.conduit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.ExternalTool;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.PrometheusServer;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real Prometheus scraping a real gateway (the simulated provider, an OpenAI-compatible mock
 * upstream over HTTP, and a provider that cannot be reached), with the shipped alert and recording
 * rules loaded: every PromQL query of the runbook returns series as written, Provider Down fires
 * for the failing provider only, and every query of the Grafana dashboard parses and returns data
 * (or needs a metric only Kubernetes exports). Skipped when Prometheus is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusAgainstConduitTest {
  private static final Pattern RUNBOOK_QUERY =
      Pattern.compile("/api/v1/query(?:_range)?\\?query=([^\"\\s]+)\"");

  /** Metrics that only a Kubernetes cluster exports (cAdvisor, kubelet, cert-manager). */
  static final List<String> KUBERNETES_ONLY = List.of("container_", "kubelet_", "certmanager_");

  private static final java.time.Duration PROMETHEUS_START = java.time.Duration.ofMinutes(2);

  private MockUpstream mock;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private PrometheusServer prometheus;

  @BeforeAll
  void start() throws Exception {
    Path binary = ExternalTool.require("prometheus", "apt-get install prometheus");
    mock = new MockUpstream();
    db = TestDatabases.sqlite();
    gateway =
        TestGateway.start(
            """
            server: { eventLoops: 1 }
            database: { url: "%s" }
            routing: { healthCheckIntervalMs: 1000 }
            spend: { flushIntervalMs: 200 }
            providers:
              - { name: sim, type: simulated }
              - { name: broken, type: openai, baseUrl: "http://127.0.0.1:1/v1", apiKey: sk-broken-0123456789 }
              - { name: mock, type: openai, baseUrl: "%s", apiKey: sk-mock-0123456789 }
            models:
              - alias: demo
                deployments: [ { provider: sim, model: sim-1 } ]
              - alias: embeddings
                deployments: [ { provider: sim, model: sim-embed } ]
              - alias: over-http
                deployments: [ { provider: mock, model: gpt-4o } ]
              - alias: broken-model
                retries: 0
                deployments: [ { provider: broken, model: gpt-4o } ]
              - alias: failover
                deployments: [ { provider: broken, model: gpt-4o, priority: 1 }, { provider: sim, model: sim-1, priority: 2 } ]
              - alias: falls-back
                retries: 0
                fallbacks: [ demo ]
                deployments: [ { provider: broken, model: gpt-4o } ]
            """
                .formatted(db.url(), mock.baseUrl()));
    gateway.price("sim", "sim-1", "1", "2");

    String alerts = Files.readString(AlertRulesTest.MONITORING.resolve("alerts.yaml"));
    // Same rules, but firing after one evaluation instead of minutes.
    Path quickAlerts =
        PrometheusServer.ruleFile("alerts.yaml", alerts.replaceAll("for: \\w+", "for: 1s"));
    prometheus =
        PrometheusServer.start(
            binary,
            List.of("127.0.0.1:" + gateway.gateway().port()),
            List.of(quickAlerts, AlertRulesTest.MONITORING.resolve("recording-rules.yaml")));
    Eventually.await(
        "the gateway scraped",
        PROMETHEUS_START,
        () -> prometheus.targets(),
        targets -> targets.size() == 1 && targets.get(0).path("health").asText().equals("up"));
    driveTraffic();
    System.gc(); // the gateway runs in this JVM: its GC pause series exist from here on
    // A series' first sample is its start: rates are not zero only with calls after it.
    Eventually.await(
        "the mock provider's calls scraped",
        () -> prometheus.series("conduit_provider_response_time_seconds_count{provider='mock'}"),
        series -> !series.isEmpty());
    String key = gateway.newKey();
    for (String model : List.of("over-http", "demo", "broken-model")) {
      chat(key, model, false);
    }
  }

  private void driveTraffic() throws Exception {
    String key = gateway.newKey();
    String limited = gateway.createKey("{\"name\":\"limited\",\"rpm\":1}").get("key").asText();
    for (String model :
        List.of(
            "failover", "falls-back", "demo", "demo", "over-http", "over-http", "broken-model")) {
      chat(key, model, false);
    }
    chat(key, "demo", true);
    chat(limited, "demo", false);
    HttpResponse<String> refused = chat(limited, "demo", false);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    HttpResponse<String> embedding =
        gateway.client(
            "POST", "/v1/embeddings", key, "{\"model\":\"embeddings\",\"input\":\"hello\"}");
    assertThat(embedding.statusCode()).as(embedding.body()).isEqualTo(200);
  }

  private HttpResponse<String> chat(String key, String model, boolean stream) throws Exception {
    return gateway.client(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\""
            + model
            + "\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @AfterAll
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (db != null) {
      db.close();
    }
    if (mock != null) {
      mock.close();
    }
  }

  @Test
  void everyPromQlQueryOfTheRunbookReturnsSeriesAsWritten() throws Exception {
    List<String> queries = runbookQueries();
    assertThat(queries)
        .contains(
            "rate(conduit_llm_requests_total{status='error'}[5m])",
            "conduit_provider_health",
            "rate(conduit_cache_hits_total[5m])",
            "conduit_provider_response_time_seconds");
    for (String query : queries) {
      if (kubernetesOnly(query)) {
        assertThat(prometheus.query(query).path("status").asText()).as(query).isEqualTo("success");
        continue;
      }
      JsonNode series =
          Eventually.await(
              "series for " + query, () -> prometheus.series(query), s -> !s.isEmpty());
      assertThat(series).as(query).isNotEmpty();
    }
    assertThat(labels(prometheus.series(queries.get(0)), "provider")).contains("broken");
    // The recording rules give the bare name: quantiles of each provider's upstream calls.
    JsonNode latency =
        Eventually.await(
            "recorded latency of the provider behind HTTP",
            () -> prometheus.series("conduit_provider_response_time_seconds{provider='mock'}"),
            s -> s.size() == 3 && !s.get(0).path("value").get(1).asText().equals("NaN"));
    assertThat(labels(latency, "quantile")).containsExactlyInAnyOrder("0.5", "0.95", "0.99");
    for (JsonNode quantile : latency) {
      assertThat(Double.parseDouble(quantile.path("value").get(1).asText())).isPositive();
    }
  }

  @Test
  void providerHealthSeesTheFailingProviderDown() throws Exception {
    JsonNode health =
        Eventually.await(
            "both providers' health",
            () -> prometheus.series("conduit_provider_health"),
            s -> labels(s, "provider").containsAll(List.of("sim", "broken")));
    for (JsonNode series : health) {
      String provider = series.path("metric").path("provider").asText();
      assertThat(series.path("value").get(1).asText())
          .as(provider)
          .isEqualTo(provider.equals("broken") ? "0" : "1");
    }
  }

  @Test
  void providerDownFiresForTheFailingProviderOnly() throws Exception {
    JsonNode alerts =
        Eventually.await(
            "ConduitProviderDown firing for broken",
            () -> prometheus.alerts(),
            all -> firing(all, "ConduitProviderDown").contains("broken"));
    assertThat(firing(alerts, "ConduitProviderDown")).containsExactly("broken");
    for (JsonNode alert : alerts) {
      if (alert.path("labels").path("alertname").asText().equals("ConduitProviderDown")) {
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("annotations").path("runbook").asText())
            .isEqualTo("runbooks.md#high-error-rate");
      }
    }
  }

  /**
   * The request log's alerts read series the gateway exports, and stay silent while its writer
   * keeps up.
   */
  @Test
  void theRequestLogAlertsReadTheGatewaysSeriesAndStaySilent() throws Exception {
    for (String metric :
        List.of(
            "conduit_request_log_dropped_total", "conduit_request_log_writer_stalled_seconds")) {
      Eventually.await(metric + " scraped", () -> prometheus.series(metric), s -> !s.isEmpty());
    }
    JsonNode rules =
        Eventually.await(
            "the request log's alert rules evaluated",
            () -> prometheus.rules(),
            all -> evaluated(all, "conduit-request-log") == 2);
    for (JsonNode group : rules) {
      if (group.path("name").asText().equals("conduit-request-log")) {
        for (JsonNode rule : group.path("rules")) {
          assertThat(rule.path("health").asText()).as(rule.path("name").asText()).isEqualTo("ok");
          assertThat(rule.path("state").asText())
              .as(rule.path("name").asText())
              .isEqualTo("inactive");
        }
      }
    }
  }

  private static int evaluated(JsonNode groups, String name) {
    int evaluated = 0;
    for (JsonNode group : groups) {
      if (group.path("name").asText().equals(name)) {
        for (JsonNode rule : group.path("rules")) {
          if (!rule.path("lastEvaluation").asText().startsWith("0001-")) {
            evaluated++;
          }
        }
      }
    }
    return evaluated;
  }

  @Test
  void everyDashboardQueryParsesAndReturnsData() throws Exception {
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(AlertRulesTest.MONITORING.resolve("grafana/conduit-overview.json").toFile());
    List<String> expressions = new ArrayList<>();
    List<String> needKubernetes = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        expressions.add(expr);
        String query = expr.replace("$__rate_interval", "1m").replace("$instance", ".*");
        JsonNode answer = prometheus.query(query);
        assertThat(answer.path("status").asText())
            .as(panel.path("title").asText() + ": " + query + " -> " + answer)
            .isEqualTo("success");
        if (kubernetesOnly(query)) {
          needKubernetes.add(panel.path("title").asText());
          continue;
        }
        Eventually.await(
            "data for panel '" + panel.path("title").asText() + "': " + query,
            () -> prometheus.series(query),
            s -> !s.isEmpty());
      }
    }
    assertThat(String.join("\n", expressions))
        .contains(
            "conduit_llm_requests_total",
            "conduit_llm_request_duration_seconds_bucket",
            "conduit_llm_active_requests",
            "conduit_provider_circuit_state",
            "conduit_provider_health",
            "conduit_llm_cost_usd_total",
            "conduit_cache_hits_total",
            "conduit_request_log_pending",
            "conduit_request_log_dropped_total",
            "jvm_memory_used_bytes",
            "jvm_gc_pause_seconds",
            "hikaricp_connections_pending");
    assertThat(needKubernetes)
        .containsExactlyInAnyOrder(
            "Container memory against limit (Kubernetes)", "Volume usage (Kubernetes)");
  }

  static List<String> runbookQueries() throws Exception {
    Matcher matcher = RUNBOOK_QUERY.matcher(AlertRulesTest.runbook());
    List<String> queries = new ArrayList<>();
    while (matcher.find()) {
      queries.add(matcher.group(1));
    }
    return queries;
  }

  private static boolean kubernetesOnly(String query) {
    return KUBERNETES_ONLY.stream().anyMatch(query::contains);
  }

  private static List<String> labels(JsonNode series, String label) {
    List<String> values = new ArrayList<>();
    for (JsonNode one : series) {
      values.add(one.path("metric").path(label).asText());
    }
    return values;
  }

  private static List<String> firing(JsonNode alerts, String name) {
    List<String> providers = new ArrayList<>();
    for (JsonNode alert : alerts) {
      if (alert.path("labels").path("alertname").asText().equals(name)
          && alert.path("state").asText().equals("firing")) {
        providers.add(alert.path("labels").path("provider").asText());
      }
    }
    return providers;
  }
}
