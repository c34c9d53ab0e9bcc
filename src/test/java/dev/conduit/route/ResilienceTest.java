package dev.conduit.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.LogCapture;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.PromText;
import dev.conduit.testing.RecordingRetryTimer;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Failover, retries, backoff, circuit breakers, key rotation, regional endpoints and routing
 * strategies, end to end: the OpenAI SDK calls the gateway over HTTP, the gateway calls mock
 * upstreams that inject faults, and each outcome is checked from the caller's side, in the admin
 * API's JSON and in {@code /metrics}. Each test uses model names of its own, since circuits are
 * kept per deployment for the gateway's life.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The SDKs' raw responses are read whole by parse(); streamed ones are closed where parsed.
@SuppressWarnings("MustBeClosedChecker")
class ResilienceTest {
  private static final String GOOD_KEY = "sk-good-key-0123456789abcd";
  private static final String REVOKED_KEY = MockUpstream.REJECTED_KEY_PREFIX + "0123456789wxyz";

  private LogCapture logs;
  private MockUpstream mock;
  private MockUpstream mockEu;
  private TestDatabases.TestDatabase db;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final RecordingRetryTimer timer = new RecordingRetryTimer();
  private TestGateway gateway;
  private String key;
  private OpenAIClient openAi;

  @BeforeAll
  void start() throws Exception {
    logs = new LogCapture();
    mock = new MockUpstream();
    mockEu = new MockUpstream();
    db = TestDatabases.sqlite();
    gateway =
        TestGateway.start(
            yaml(), Map.of("CONDUIT_ENCRYPTION_KEY", "test-encryption-key"), clock, timer);
    key = gateway.newKey();
    openAi = gateway.openAi(key);
  }

  private String yaml() {
    return """
        server:
          eventLoops: 2
        database:
          url: "%1$s"
        routing:
          healthCheckIntervalMs: 0
          retries: 2
          retryBaseDelayMs: 100
          retryMaxDelayMs: 1000
          maxRetryAfterMs: 30000
          circuitBreaker:
            failureRatePercent: 50
            slidingWindow: 4
            minimumCalls: 4
            openMs: 60000
            halfOpenCalls: 1
        providers:
          - name: mock
            type: openai
            baseUrl: %2$s
            apiKey: %3$s
          - name: backup
            type: openai
            baseUrl: %2$s
            apiKey: %3$s
          - name: resettable
            type: openai
            baseUrl: %2$s
            apiKey: %3$s
          - name: switchable
            type: openai
            baseUrl: %2$s
            apiKey: %3$s
          - name: regional
            type: openai
            baseUrl: %2$s
            apiKey: %3$s
          - name: keyed
            type: openai
            baseUrl: %2$s
            apiKeys: [%4$s, %3$s]
        models:
          - alias: ha
            deployments:
              - { provider: mock, model: ha-primary }
              - { provider: backup, model: ha-secondary }
          - alias: always-down
            deployments:
              - { provider: mock, model: always-down }
          - alias: flaky
            deployments:
              - { provider: mock, model: flaky-4 }
          - alias: limited
            retries: 1
            deployments:
              - { provider: mock, model: rate-limit-7 }
          - alias: limited-ms
            retries: 1
            deployments:
              - { provider: mock, model: rate-limit-ms-1500 }
          - alias: limited-long
            retries: 1
            deployments:
              - { provider: mock, model: rate-limit-120 }
          - alias: recovering
            retries: 0
            deployments:
              - { provider: mock, model: recovering }
          - alias: resettable
            retries: 0
            deployments:
              - { provider: resettable, model: reset-me }
          - alias: switchable
            deployments:
              - { provider: switchable, model: switch-model }
          - alias: regional
            deployments:
              - { provider: regional, model: regional-model, region: eu-west }
          - alias: keyed
            deployments:
              - { provider: keyed, model: keyed-model }
          - alias: cut
            deployments:
              - { provider: mock, model: cut-stream }
              - { provider: backup, model: cut-backup }
          - alias: stream-failover
            deployments:
              - { provider: mock, model: stream-primary }
              - { provider: backup, model: stream-backup }
          - alias: slow
            deployments:
              - { provider: mock, model: slow-first-byte-5000, timeouts: { firstByteMs: 200 } }
              - { provider: backup, model: quick }
          - alias: with-fallback
            fallbacks: [fallback-target]
            deployments:
              - { provider: mock, model: fb-primary }
          - alias: fallback-target
            deployments:
              - { provider: backup, model: fb-target }
          - alias: rr
            strategy: round-robin
            deployments:
              - { provider: mock, model: rr-a }
              - { provider: mock, model: rr-b }
          - alias: weighted
            strategy: weighted
            deployments:
              - { provider: mock, model: w-zero, weight: 0 }
              - { provider: mock, model: w-one, weight: 1 }
          - alias: prioritised
            deployments:
              - { provider: mock, model: p-low, priority: 5 }
              - { provider: mock, model: p-high, priority: 1 }
          - alias: cheapest
            strategy: least-cost
            deployments:
              - { provider: mock, model: lc-first }
              - { provider: mock, model: lc-second }
          - alias: fastest
            strategy: least-latency
            deployments:
              - { provider: mock, model: slow-first-byte-300 }
              - { provider: mock, model: ll-fast }
        """
        .formatted(db.url(), mock.baseUrl(), GOOD_KEY, REVOKED_KEY);
  }

  @BeforeEach
  void clearTimer() {
    timer.clear();
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    mock.close();
    mockEu.close();
    db.close();
    String logged = logs.text();
    logs.close();
    assertThat(logged).doesNotContain(GOOD_KEY).doesNotContain(REVOKED_KEY);
  }

  private static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
  }

  private HttpResponse<String> post(String model) throws Exception {
    return gateway.client(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  private JsonNode providerHealth(String provider) throws Exception {
    HttpResponse<String> response = gateway.admin("GET", "/api/admin/providers/health", null);
    assertThat(response.statusCode()).isEqualTo(200);
    for (JsonNode entry : TestGateway.json(response.body()).path("data")) {
      if (entry.path("name").asText().equals(provider)) {
        return entry;
      }
    }
    throw new AssertionError("no health entry for " + provider + ": " + response.body());
  }

  private static String circuit(JsonNode health, String deployment) {
    for (JsonNode entry : health.path("deployments")) {
      if (entry.path("deployment").asText().equals(deployment)) {
        return entry.path("circuitState").asText();
      }
    }
    throw new AssertionError("no deployment " + deployment + " in " + health);
  }

  private String metrics() throws Exception {
    return gateway.client("GET", "/metrics", null, null).body();
  }

  @Test
  void callersSeeNoErrorWhileAHealthyDeploymentExistsAndTheBadOneIsShed() throws Exception {
    mock.breakModel("ha-primary", 503);
    List<String> usedProviders = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      HttpResponseFor<ChatCompletion> response =
          openAi.chat().completions().withRawResponse().create(chat("ha"));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.parse().choices().get(0).message().content()).hasValue(MockUpstream.TEXT);
      usedProviders.addAll(response.headers().values("X-Provider-Used"));
    }
    assertThat(usedProviders).containsOnly("backup/ha-secondary");
    // The circuit opened after 4 failures out of 4 calls: the bad deployment got no more.
    assertThat(mock.calls("ha-primary")).isEqualTo(4);
    HttpResponse<String> later = post("ha");
    assertThat(later.headers().firstValue("X-Conduit-Attempts")).hasValue("1");

    JsonNode health = providerHealth("mock");
    assertThat(circuit(health, "mock/ha-primary")).isEqualTo("open");
    assertThat(health.path("status").asText()).isIn("degraded", "unhealthy");
    assertThat(health.path("lastError").asText()).contains("503");
    assertThat(circuit(providerHealth("backup"), "backup/ha-secondary")).isEqualTo("closed");
    String metrics = metrics();
    assertThat(
            PromText.value(
                metrics,
                "conduit_provider_circuit_state",
                Map.of("provider", "mock", "deployment", "mock/ha-primary")))
        .hasValue(1.0);
    assertThat(
            PromText.value(
                metrics,
                "conduit_provider_circuit_state",
                Map.of("deployment", "backup/ha-secondary")))
        .hasValue(0.0);
    assertThat(PromText.value(metrics, "conduit_llm_retries_total", Map.of("model", "ha")))
        .hasValue(4.0);
  }

  @Test
  void aFailingDeploymentIsRetriedWithGrowingBackoffThenTheErrorIsReturned() throws Exception {
    mock.breakModel("always-down", 500);
    HttpResponse<String> response = post("always-down");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("X-Conduit-Attempts")).hasValue("3");
    assertThat(mock.calls("always-down")).isEqualTo(3);
    List<Long> delays = timer.delays();
    assertThat(delays).hasSize(2);
    // Jittered between half and all of 100 ms, then of 200 ms.
    assertThat(delays.get(0)).isBetween(50L, 100L);
    assertThat(delays.get(1)).isBetween(100L, 200L);
  }

  @Test
  void aFlakyDeploymentIsRetriedAndTheCallerSeesSuccess() throws Exception {
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> response = post("flaky");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    // Every fourth call fails (too few to open the circuit): two requests needed a retry.
    assertThat(mock.calls("flaky-4")).isEqualTo(10);
    assertThat(timer.delays()).hasSize(2);
  }

  @Test
  void retryAfterIsHonouredAndTooLongAWaitIsNotRetried() throws Exception {
    HttpResponse<String> seconds = post("limited");
    assertThat(seconds.statusCode()).isEqualTo(429);
    assertThat(seconds.headers().firstValue("X-Conduit-Attempts")).hasValue("2");
    assertThat(timer.delays()).hasSize(1);
    assertThat(timer.delays().get(0)).isGreaterThanOrEqualTo(7_000L);

    timer.clear();
    HttpResponse<String> millis = post("limited-ms");
    assertThat(millis.headers().firstValue("X-Conduit-Attempts")).hasValue("2");
    assertThat(timer.delays())
        .singleElement()
        .satisfies(d -> assertThat(d).isGreaterThanOrEqualTo(1_500L));

    timer.clear();
    HttpResponse<String> tooLong = post("limited-long");
    assertThat(tooLong.statusCode()).isEqualTo(429);
    assertThat(tooLong.headers().firstValue("X-Conduit-Attempts")).hasValue("1");
    assertThat(timer.delays()).isEmpty();
  }

  @Test
  void anOpenCircuitShedsLoadThenHalfOpensAndRecovers() throws Exception {
    mock.breakModel("recovering", 503);
    for (int i = 0; i < 4; i++) {
      assertThat(post("recovering").statusCode()).isEqualTo(503);
    }
    assertThat(circuit(providerHealth("mock"), "mock/recovering")).isEqualTo("open");

    HttpResponse<String> shed = post("recovering");
    assertThat(shed.statusCode()).isEqualTo(503);
    assertThat(TestGateway.json(shed.body()).path("error").path("code").asText())
        .isEqualTo("circuit_open");
    assertThat(shed.headers().firstValue("X-Conduit-Attempts")).hasValue("0");
    assertThat(mock.calls("recovering")).isEqualTo(4);

    mock.healModel("recovering");
    clock.advance(Duration.ofSeconds(61));
    HttpResponse<String> probe = post("recovering");
    assertThat(probe.statusCode()).isEqualTo(200);
    assertThat(circuit(providerHealth("mock"), "mock/recovering")).isEqualTo("closed");
    assertThat(
            PromText.value(
                metrics(),
                "conduit_provider_circuit_state",
                Map.of("deployment", "mock/recovering")))
        .hasValue(0.0);
  }

  @Test
  void resetCircuitClosesEveryCircuitOfTheProvider() throws Exception {
    mock.breakModel("reset-me", 502);
    for (int i = 0; i < 4; i++) {
      post("resettable");
    }
    assertThat(circuit(providerHealth("resettable"), "resettable/reset-me")).isEqualTo("open");
    mock.healModel("reset-me");
    assertThat(post("resettable").statusCode()).isEqualTo(503);

    HttpResponse<String> reset =
        gateway.admin("POST", "/api/admin/providers/resettable/reset-circuit", null);
    assertThat(reset.statusCode()).isEqualTo(200);
    assertThat(circuit(TestGateway.json(reset.body()), "resettable/reset-me")).isEqualTo("closed");
    assertThat(post("resettable").statusCode()).isEqualTo(200);
  }

  @Test
  void aDisabledProviderGetsNoTrafficUntilEnabled() throws Exception {
    assertThat(post("switchable").statusCode()).isEqualTo(200);
    HttpResponse<String> disabled =
        gateway.admin("PATCH", "/api/admin/providers/switchable/disable", null);
    assertThat(disabled.statusCode()).isEqualTo(200);
    assertThat(TestGateway.json(disabled.body()).path("status").asText()).isEqualTo("disabled");
    int callsBefore = mock.calls("switch-model");

    HttpResponse<String> refused = post("switchable");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("disabled");
    assertThat(mock.calls("switch-model")).isEqualTo(callsBefore);
    assertThat(providerHealth("switchable").path("enabled").asBoolean()).isFalse();
    assertThat(
            PromText.value(metrics(), "conduit_provider_health", Map.of("provider", "switchable")))
        .hasValue(0.0);

    assertThat(gateway.admin("PATCH", "/api/admin/providers/switchable/enable", null).statusCode())
        .isEqualTo(200);
    assertThat(post("switchable").statusCode()).isEqualTo(200);
    assertThat(
            PromText.value(metrics(), "conduit_provider_health", Map.of("provider", "switchable")))
        .hasValue(1.0);
  }

  @Test
  void regionalEndpointsChangeTheUrlActuallyCalled() throws Exception {
    assertThat(post("regional").statusCode()).isEqualTo(200);
    assertThat(mock.calls("regional-model")).isEqualTo(1);

    String euOrigin = "http://127.0.0.1:" + mockEu.port();
    HttpResponse<String> configured =
        gateway.admin(
            "POST",
            "/api/admin/providers/config",
            "{\"provider\":\"regional\",\"regionalEndpoints\":{\"eu-west\":\""
                + euOrigin
                + "\",\"us-east\":\""
                + mock.baseUrl()
                + "\"}}");
    assertThat(configured.statusCode()).isEqualTo(200);
    assertThat(
            TestGateway.json(configured.body()).path("regionalEndpoints").path("eu-west").asText())
        .isEqualTo(euOrigin);

    HttpResponse<String> response = post("regional");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Provider-Used"))
        .hasValue("regional/regional-model@eu-west");
    assertThat(mockEu.calls("regional-model")).isEqualTo(1);
    assertThat(mockEu.lastReceived().path()).isEqualTo("/v1/chat/completions");
    assertThat(mock.calls("regional-model")).isEqualTo(1);

    HttpResponse<String> notHttp =
        gateway.admin(
            "POST",
            "/api/admin/providers/config",
            "{\"provider\":\"regional\",\"regionalEndpoints\":{\"eu-west\":\"ftp://eu.example\"}}");
    assertThat(notHttp.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(notHttp.body()).path("error").path("param").asText())
        .isEqualTo("regionalEndpoints.eu-west");
    HttpResponse<String> unknown =
        gateway.admin(
            "POST",
            "/api/admin/providers/config",
            "{\"provider\":\"nope\",\"regionalEndpoints\":{}}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(TestGateway.json(unknown.body()).path("error").path("code").asText())
        .isEqualTo("not_found");
  }

  @Test
  void aRejectedKeyLeavesTheRotationAndTheNextKeyIsUsed() throws Exception {
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> response = post("keyed");
      assertThat(response.statusCode()).isEqualTo(200);
    }
    // Whoever met the revoked key first (traffic or an on-demand health check of an earlier
    // test), it was used exactly once.
    long revokedUses =
        mock.allReceived().stream()
            .filter(r -> ("Bearer " + REVOKED_KEY).equals(r.headers().get("authorization")))
            .count();
    assertThat(revokedUses).isEqualTo(1);
    JsonNode health = providerHealth("keyed");
    assertThat(health.path("apiKeys").path("total").asInt()).isEqualTo(2);
    assertThat(health.path("apiKeys").path("active").asInt()).isEqualTo(1);
    assertThat(health.toString()).doesNotContain(GOOD_KEY).doesNotContain(REVOKED_KEY);
  }

  @Test
  void noRetryOnceTheFirstStreamedByteReachedTheCaller() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"cut\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"content\":\"Hello\"")
        .contains("upstream_invalid_response")
        .doesNotContain("[DONE]");
    assertThat(response.headers().firstValue("X-Conduit-Attempts")).hasValue("1");
    assertThat(mock.calls("cut-backup")).isZero();
    assertThat(timer.delays()).isEmpty();
  }

  @Test
  void aStreamThatFailsBeforeItsFirstByteFailsOver() throws Exception {
    mock.breakModel("stream-primary", 503);
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"stream-failover\",\"stream\":true,\"messages\":[]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    assertThat(response.headers().firstValue("X-Provider-Used")).hasValue("backup/stream-backup");
    assertThat(response.headers().firstValue("X-Conduit-Attempts")).hasValue("2");
  }

  @Test
  void aSlowFirstByteTimesOutAndTheNextDeploymentAnswers() throws Exception {
    HttpResponse<String> response = post("slow");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Provider-Used")).hasValue("backup/quick");
  }

  @Test
  void aFallbackAliasServesWhenEveryDeploymentOfTheAliasFailed() throws Exception {
    mock.breakModel("fb-primary", 503);
    HttpResponse<String> response = post("with-fallback");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Provider-Used")).hasValue("backup/fb-target");
    assertThat(
            PromText.value(
                metrics(),
                "conduit_llm_fallbacks_total",
                Map.of("model", "with-fallback", "fallback", "fallback-target")))
        .hasValue(1.0);
  }

  @Test
  void strategiesOrderTheDeployments() throws Exception {
    List<String> roundRobin = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      roundRobin.add(post("rr").headers().firstValue("X-Provider-Used").orElseThrow());
    }
    assertThat(roundRobin)
        .containsExactlyInAnyOrder("mock/rr-a", "mock/rr-b", "mock/rr-a", "mock/rr-b");
    assertThat(roundRobin.get(0)).isNotEqualTo(roundRobin.get(1));

    for (int i = 0; i < 5; i++) {
      assertThat(post("weighted").headers().firstValue("X-Provider-Used")).hasValue("mock/w-one");
      assertThat(post("prioritised").headers().firstValue("X-Provider-Used"))
          .hasValue("mock/p-high");
      // No price table: least-cost keeps the configured order.
      assertThat(post("cheapest").headers().firstValue("X-Provider-Used"))
          .hasValue("mock/lc-first");
    }

    List<String> fastest = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      fastest.add(post("fastest").headers().firstValue("X-Provider-Used").orElseThrow());
    }
    // Untried first, then the lower moving average of latency wins.
    assertThat(fastest.subList(2, 5)).containsOnly("mock/ll-fast");
  }

  @Test
  void healthChecksRunOnDemandAndReportFailures() throws Exception {
    HttpResponse<String> checked = gateway.admin("POST", "/api/admin/providers/health/check", null);
    assertThat(checked.statusCode()).isEqualTo(200);
    JsonNode body = TestGateway.json(checked.body());
    assertThat(body.path("checks")).isNotEmpty();
    JsonNode backup = entry(body.path("data"), "backup");
    assertThat(backup.path("lastCheckOk").asBoolean()).isTrue();
    assertThat(backup.path("lastCheck").asText()).isNotEmpty();
    assertThat(backup.has("latencyMs")).isTrue();
    assertThat(backup.has("errorRate")).isTrue();

    mock.breakModelsList(503);
    try {
      JsonNode failed =
          TestGateway.json(gateway.admin("POST", "/api/admin/providers/health/check", null).body());
      JsonNode backupNow = entry(failed.path("data"), "backup");
      assertThat(backupNow.path("status").asText()).isEqualTo("unhealthy");
      assertThat(backupNow.path("lastError").asText()).contains("503");
      assertThat(PromText.value(metrics(), "conduit_provider_health", Map.of("provider", "backup")))
          .hasValue(0.0);
    } finally {
      mock.breakModelsList(200);
    }
    gateway.admin("POST", "/api/admin/providers/health/check", null);
    assertThat(providerHealth("backup").path("status").asText()).isNotEqualTo("unhealthy");
  }

  private static JsonNode entry(JsonNode list, String name) {
    for (JsonNode entry : list) {
      if (entry.path("name").asText().equals(name)) {
        return entry;
      }
    }
    throw new AssertionError("no entry " + name + " in " + list);
  }

  @Test
  void providerResponseTimesHavePerProviderSeries() throws Exception {
    // Other tests of this class may have called the provider already: count from here.
    String series = "conduit_provider_response_time_seconds_count";
    Map<String, String> provider = Map.of("provider", "switchable");
    double before = PromText.value(metrics(), series, provider).orElse(0);

    assertThat(post("switchable").statusCode()).isEqualTo(200);

    Eventually.await(
        "provider response time series",
        this::metrics,
        text -> PromText.value(text, series, provider).orElse(0) >= before + 1);
  }
}
