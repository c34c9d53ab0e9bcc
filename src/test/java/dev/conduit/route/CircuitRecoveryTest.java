package dev.conduit.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.pipeline.RetryTimer;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.RecordingRetryTimer;
import dev.conduit.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 11 item 13: a healed deployment gets its traffic back after a long sequence (a failure of
 * each retryable status, the circuit opening, {@code reset-circuit}, an outage with calls still in
 * flight, then healing). Calls that started before the circuit opened and fail only after it
 * half-opened must not count as the probes' verdict: their failure belongs to the outage already
 * judged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CircuitRecoveryTest extends GatewayOnMock {
  private static final String PRIMARY = "mock/heal-a";
  private static final String BACKUP = "backup/heal-b";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private String key;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String yaml() {
    return """
        server:
          eventLoops: 2
        database:
          url: "%1$s"
        routing:
          healthCheckIntervalMs: 0
          retries: 2
          retryBaseDelayMs: 100
          circuitBreaker:
            failureRatePercent: 50
            slidingWindow: 4
            minimumCalls: 4
            openMs: 60000
            halfOpenCalls: 3
        providers:
          - name: mock
            type: openai
            baseUrl: %2$s
            apiKey: sk-mock-0123456789
          - name: backup
            type: openai
            baseUrl: %2$s
            apiKey: sk-mock-0123456789
        models:
          - alias: healing
            deployments:
              - { provider: mock, model: heal-a, priority: 1, timeouts: { firstByteMs: 60000 } }
              - { provider: backup, model: heal-b, priority: 2 }
        """
        .formatted(db.url(), mock.baseUrl());
  }

  @Override
  protected Map<String, String> env() {
    return Map.of("CONDUIT_ENCRYPTION_KEY", "test-encryption-key");
  }

  @Override
  protected Clock clock() {
    return clock;
  }

  @Override
  protected RetryTimer retryTimer() {
    return new RecordingRetryTimer();
  }

  @Override
  protected void started() throws Exception {
    key = gateway.newKey();
  }

  @Test
  void aHealedDeploymentGetsItsTrafficBackAfterALongSequence() throws Exception {
    // Each retryable status once: the caller is served by the backup every time.
    for (int status : List.of(408, 429, 500, 502, 503, 504, 529)) {
      mock.breakModel("heal-a", status);
      assertThat(usedBy(post())).as("status %d", status).isEqualTo(BACKUP);
    }
    assertThat(circuit()).isEqualTo("open");
    assertThat(gateway.admin("POST", "/api/admin/providers/mock/reset-circuit", null).statusCode())
        .isEqualTo(200);
    assertThat(circuit()).isEqualTo("closed");

    // An outage that starts with calls hanging: they are still in flight when the circuit opens.
    mock.healModel("heal-a");
    mock.holdModel("heal-a");
    int before = mock.calls("heal-a");
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      inFlight.add(postAsync());
    }
    dev.conduit.testing.Eventually.await(
        "two calls held by the upstream", () -> mock.calls("heal-a"), n -> n == before + 2);
    mock.breakModel("heal-a", 503);
    for (int i = 0; i < 4; i++) {
      assertThat(usedBy(post())).isEqualTo(BACKUP);
    }
    assertThat(circuit()).isEqualTo("open");

    // Healed; the circuit half-opens and the first probe succeeds.
    mock.healModel("heal-a");
    clock.advance(Duration.ofSeconds(61));
    assertThat(usedBy(post())).isEqualTo(PRIMARY);
    // The calls from the outage fail only now, and are served by the backup.
    mock.releaseHeld("heal-a", 503);
    for (CompletableFuture<HttpResponse<String>> call : inFlight) {
      HttpResponse<String> response = call.get(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(usedBy(response)).isEqualTo(BACKUP);
    }

    // The healed deployment serves again, at once.
    for (int i = 0; i < 5; i++) {
      assertThat(usedBy(post())).as("call %d after healing", i).isEqualTo(PRIMARY);
    }
    assertThat(circuit()).isEqualTo("closed");
  }

  private HttpResponse<String> post() throws Exception {
    return postAsync().get(30, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> postAsync() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/chat/completions")))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"healing\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String usedBy(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.headers().firstValue("X-Provider-Used").orElseThrow();
  }

  private String circuit() throws Exception {
    HttpResponse<String> response = gateway.admin("GET", "/api/admin/providers/health", null);
    for (JsonNode provider : TestGateway.json(response.body()).path("data")) {
      for (JsonNode deployment : provider.path("deployments")) {
        if (deployment.path("deployment").asText().equals(PRIMARY)) {
          return deployment.path("circuitState").asText();
        }
      }
    }
    throw new AssertionError("no deployment " + PRIMARY + " in " + response.body());
  }
}
