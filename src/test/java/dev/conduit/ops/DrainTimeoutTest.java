package dev.conduit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stop whose drain timeout runs out with calls still in flight (the entry point the SIGTERM
 * handler calls, {@code Gateway.drain()}, in process): a stream started to an OpenAI caller ends
 * with an OpenAI error event, one to an Anthropic caller with {@code event: error}, a call not yet
 * answering gets a 503; none is cut silently, and each has its request-log row.
 */
class DrainTimeoutTest {
  private static final String DRAIN =
      """
      drain:
        delayMs: 0
        timeoutMs: 1000
      """;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MockUpstream mock;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;

  @BeforeEach
  void start() throws Exception {
    mock = new MockUpstream();
    db = TestDatabases.sqlite();
    gateway = TestGateway.start(Yaml.withMock(mock, db.url(), null) + DRAIN);
  }

  @AfterEach
  void stop() throws Exception {
    mock.close();
    db.close();
  }

  @Test
  void callsStillRunningAtTheDrainTimeoutEndWithAnErrorInTheirCallersProtocol() throws Exception {
    String key = gateway.newKey();
    // Both streams stop after their first chunk: the mock's "gated" model waits for a gate that
    // this test never opens.
    HttpResponse<InputStream> openAi =
        http.send(
            request("/v1/chat/completions", key)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        """
                        {"model":"gated","stream":true,
                         "messages":[{"role":"user","content":"hi"}]}"""))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader openAiEvents = reader(openAi);
    assertThat(openAiEvents.readLine()).startsWith("data: {").contains("Hello");

    HttpResponse<InputStream> anthropic =
        http.send(
            request("/v1/messages", key)
                .header("anthropic-version", "2023-06-01")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        """
                        {"model":"gated","stream":true,"max_tokens":50,
                         "messages":[{"role":"user","content":"hi"}]}"""))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader anthropicEvents = reader(anthropic);
    assertThat(anthropicEvents.readLine()).isEqualTo("event: message_start");

    CompletableFuture<HttpResponse<String>> waiting =
        http.sendAsync(
            request("/v1/chat/completions", key)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        """
                        {"model":"hang","messages":[{"role":"user","content":"hi"}]}"""))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    dev.conduit.testing.Eventually.await(
        "the upstream received the three calls", () -> mock.received().size(), n -> n == 3);

    CompletableFuture<Void> drained = CompletableFuture.runAsync(gateway.gateway()::drain);

    String openAiRest = rest(openAiEvents);
    assertThat(openAiRest).contains("data: {\"error\":{").contains("\"code\":\"shutting_down\"");
    assertThat(openAiRest).doesNotContain("[DONE]");
    assertThat(openAiRest.strip()).endsWith("}");

    String anthropicRest = rest(anthropicEvents);
    assertThat(anthropicRest)
        .contains("event: error\ndata: {\"type\":\"error\",\"error\":{")
        .contains("shutting down");
    assertThat(anthropicRest).doesNotContain("message_stop");

    HttpResponse<String> refused = waiting.get(30, TimeUnit.SECONDS);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(TestGateway.json(refused.body()).path("error").path("code").asText())
        .isEqualTo("shutting_down");

    drained.get(60, TimeUnit.SECONDS);
    for (HttpResponse<?> response : new HttpResponse<?>[] {openAi, anthropic, refused}) {
      String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
      Map<String, Object> row = RequestLogs.find(db, requestId);
      assertThat(row).as("the log row of " + requestId).isNotNull();
      assertThat(row.get("error_type")).isEqualTo("shutting_down");
    }
  }

  private HttpRequest.Builder request(String path, String key) {
    return HttpRequest.newBuilder(URI.create(gateway.clientUrl(path)))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json");
  }

  private static BufferedReader reader(HttpResponse<InputStream> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  /** Everything left in the stream, until the gateway ends it. */
  private static String rest(BufferedReader events) throws Exception {
    StringBuilder text = new StringBuilder();
    for (String line = events.readLine(); line != null; line = events.readLine()) {
      text.append(line).append('\n');
    }
    return text.toString();
  }
}
