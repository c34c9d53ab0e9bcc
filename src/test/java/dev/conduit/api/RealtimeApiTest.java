package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockRealtimeUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /v1/realtime} with a WebSocket client against a mock Realtime upstream: frames relayed
 * in order both ways, the key checked before the upgrade (header or browser subprotocol), usage
 * charged from {@code response.done}, the budget enforced between responses, one log row per
 * session, and fallback while the provider's handshake fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealtimeApiTest {
  private static final String UPSTREAM_KEY = "sk-test-upstream-secret-0123456789";
  private static final String AZURE_KEY = "azure-test-upstream-secret-0123456789";

  private MockRealtimeUpstream mock;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private Vertx vertx;
  private WebSocketClient client;

  @BeforeAll
  void start() throws Exception {
    mock = new MockRealtimeUpstream();
    db = TestDatabases.sqlite();
    String origin = "http://127.0.0.1:" + mock.port();
    gateway =
        TestGateway.start(
            """
        server:
          eventLoops: 2
        database:
          url: "%1$s"
        requestLog:
          batchSize: 50
        routing:
          healthCheckIntervalMs: 0
        providers:
          - name: openai
            type: openai
            baseUrl: %2$s/v1
            apiKey: %3$s
          - name: azure
            type: azure
            baseUrl: %2$s
            apiKey: %4$s
          - name: azure-v1
            type: azure
            baseUrl: %2$s
            apiKey: %4$s
            apiVersion: v1
          - name: dead
            type: openai
            baseUrl: http://127.0.0.1:1/v1
            apiKey: sk-dead
          - name: groq
            type: groq
            baseUrl: %2$s/v1
            apiKey: %3$s
        models:
          - alias: realtime
            deployments: [{ provider: openai, model: gpt-realtime }]
          - alias: priced
            deployments: [{ provider: openai, model: priced-realtime }]
          - alias: fragmented
            deployments: [{ provider: openai, model: fragmented }]
          - alias: failover
            deployments:
              - { provider: openai, model: fail-503, priority: 0 }
              - { provider: dead, model: gpt-realtime, priority: 1 }
              - { provider: openai, model: gpt-realtime, priority: 2 }
            strategy: priority
          - alias: dropping
            deployments: [{ provider: openai, model: drop }]
          - alias: refusing
            deployments: [{ provider: openai, model: fail-400 }]
          - alias: azure-realtime
            deployments: [{ provider: azure, model: realtime-deployment }]
          - alias: azure-v1-realtime
            deployments: [{ provider: azure-v1, model: realtime-deployment }]
          - alias: groq-realtime
            deployments: [{ provider: groq, model: whisper }]
          - alias: chat
            deployments: [{ provider: openai, model: gpt-4o }]
        """
                .formatted(db.url(), origin, UPSTREAM_KEY, AZURE_KEY));
    // $10 in, $5 cached in, $20 out per million: a mock response (1,000 in of which 200 cached,
    // 500 out) costs $0.019.
    var priced =
        gateway.admin(
            "POST",
            "/api/admin/model-costs",
            "{\"provider\":\"openai\",\"model\":\"priced-realtime\",\"inputPerMillion\":10,"
                + "\"cachedInputPerMillion\":5,\"outputPerMillion\":20,\"maxOutputTokens\":10}");
    assertThat(priced.statusCode()).isEqualTo(201);
    vertx = Vertx.vertx();
    client =
        vertx.createWebSocketClient(
            new io.vertx.core.http.WebSocketClientOptions()
                .setMaxFrameSize(16 * 1024 * 1024)
                .setMaxMessageSize(16 * 1024 * 1024));
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    gateway.close();
    mock.close();
    db.close();
  }

  /** A client's side of a session: what it received, in order, and how it closed. */
  /**
   * @param sessionsBefore the mock's accepted sessions when this caller connected: its own upstream
   *     session is the next one
   */
  private record Caller(
      WebSocket socket,
      BlockingQueue<String> received,
      CompletableFuture<Short> closed,
      int sessionsBefore) {
    String next() throws InterruptedException {
      String message = received.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("a message from the gateway").isNotNull();
      return message;
    }

    JsonNode nextEvent() throws Exception {
      return TestGateway.json(next());
    }

    /** The next event of {@code type}, skipping others. */
    JsonNode nextOfType(String type) throws Exception {
      while (true) {
        JsonNode event = nextEvent();
        if (event.path("type").asText().equals(type)) {
          return event;
        }
      }
    }

    void send(String text) throws Exception {
      socket
          .writeTextMessage(text)
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    }
  }

  private Caller connect(String model, Consumer<WebSocketConnectOptions> setup) throws Exception {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(gateway.gateway().port())
            .setURI("/v1/realtime?model=" + model);
    setup.accept(options);
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    CompletableFuture<Short> closed = new CompletableFuture<>();
    int sessionsBefore = mock.sessions().size();
    WebSocket socket =
        client
            .connect(options)
            .map(
                ws -> {
                  ws.textMessageHandler(received::add);
                  ws.binaryMessageHandler(
                      data ->
                          received.add(
                              "binary:" + Base64.getEncoder().encodeToString(data.getBytes())));
                  ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
                  return ws;
                })
            .toCompletionStage()
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    return new Caller(socket, received, closed, sessionsBefore);
  }

  /** The provider-side session behind {@code caller}. */
  private MockRealtimeUpstream.Session upstreamOf(Caller caller) throws Exception {
    return mock.sessionAfter(caller.sessionsBefore());
  }

  private Caller connect(String model, String key, String requestId) throws Exception {
    return connect(
        model,
        options ->
            options
                .addHeader("Authorization", "Bearer " + key)
                .addHeader("X-Request-ID", requestId));
  }

  /** The HTTP answer to a refused upgrade. */
  private UpgradeRejectedException refused(String model, Consumer<WebSocketConnectOptions> setup) {
    Throwable thrown = null;
    try {
      connect(model, setup);
    } catch (ExecutionException e) {
      thrown = e.getCause();
    } catch (Exception e) {
      thrown = e;
    }
    assertThat(thrown).isInstanceOf(UpgradeRejectedException.class);
    return (UpgradeRejectedException) thrown;
  }

  private static JsonNode errorOf(UpgradeRejectedException refused) throws Exception {
    return TestGateway.json(refused.getBody().toString()).path("error");
  }

  private long rowsOf(String requestId) throws Exception {
    try (Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement("SELECT count(*) FROM request_logs WHERE request_id = ?")) {
      select.setString(1, requestId);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static String requestId() {
    return "rt-" + UUID.randomUUID();
  }

  @Test
  void framesAreRelayedInOrderBothWaysTextAndBinary() throws Exception {
    Caller caller = connect("realtime", gateway.newKey(), requestId());

    assertThat(caller.nextEvent().path("type").asText()).isEqualTo("session.created");
    caller.send("{\"type\":\"session.update\",\"n\":1}");
    caller
        .socket()
        .writeBinaryMessage(Buffer.buffer(new byte[] {0, 1, 2, (byte) 255}))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    // One text message in two frames: relayed frame by frame, whole at the other end.
    caller.socket().writeFrame(WebSocketFrame.textFrame("{\"type\":\"conversation.item", false));
    caller
        .socket()
        .writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(".create\",\"n\":3}"), true));
    caller.send("{\"type\":\"input_audio_buffer.append\",\"n\":4}");

    String binary =
        "binary:" + Base64.getEncoder().encodeToString(new byte[] {0, 1, 2, (byte) 255});
    List<String> expected =
        List.of(
            "{\"type\":\"session.update\",\"n\":1}",
            binary,
            "{\"type\":\"conversation.item.create\",\"n\":3}",
            "{\"type\":\"input_audio_buffer.append\",\"n\":4}");
    assertThat(List.of(caller.next(), caller.next(), caller.next(), caller.next()))
        .containsExactlyElementsOf(expected);
    MockRealtimeUpstream.Session upstream = upstreamOf(caller);
    assertThat(upstream.received).containsExactlyElementsOf(expected);
    assertThat(upstream.handshake.path()).isEqualTo("/v1/realtime");
    assertThat(upstream.handshake.query()).isEqualTo("model=gpt-realtime");
    assertThat(upstream.handshake.headers().get("authorization"))
        .isEqualTo("Bearer " + UPSTREAM_KEY);
    caller.socket().close();
    assertThat(upstream.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1000);
  }

  @Test
  void aBrowserAuthenticatesWithTheSubprotocolAndIsAnsweredWithRealtime() throws Exception {
    String key = gateway.newKey();
    Caller caller =
        connect(
            "realtime",
            options ->
                options.setSubProtocols(
                    List.of(
                        "realtime",
                        RealtimeEndpoint.KEY_SUBPROTOCOL + key,
                        "openai-beta.realtime-v1")));

    assertThat(caller.socket().subProtocol()).isEqualTo("realtime");
    assertThat(caller.nextEvent().path("type").asText()).isEqualTo("session.created");
    MockRealtimeUpstream.Handshake upstream = upstreamOf(caller).handshake;
    // The provider sees the gateway's key, never the caller's, and the beta opt-in as a header.
    assertThat(upstream.headers().get("authorization")).isEqualTo("Bearer " + UPSTREAM_KEY);
    assertThat(upstream.headers().get("openai-beta")).isEqualTo("realtime=v1");
    assertThat(upstream.headers().toString()).doesNotContain(key);
    caller.socket().close();
  }

  @Test
  void aWrongOrMissingKeyIsRefusedBeforeTheUpgrade() throws Exception {
    int handshakes = mock.handshakes().size();

    UpgradeRejectedException wrong =
        refused("realtime", options -> options.addHeader("Authorization", "Bearer condt_nope"));
    UpgradeRejectedException missing = refused("realtime", options -> {});
    UpgradeRejectedException wrongSubprotocol =
        refused(
            "realtime",
            options ->
                options.setSubProtocols(
                    List.of("realtime", RealtimeEndpoint.KEY_SUBPROTOCOL + "condt_nope")));

    assertThat(wrong.getStatus()).isEqualTo(401);
    assertThat(errorOf(wrong).path("code").asText()).isEqualTo("invalid_api_key");
    assertThat(missing.getStatus()).isEqualTo(401);
    assertThat(errorOf(missing).path("code").asText()).isEqualTo("missing_api_key");
    assertThat(wrongSubprotocol.getStatus()).isEqualTo(401);
    assertThat(mock.handshakes()).hasSize(handshakes);
  }

  @Test
  void aModelTheKeyMayNotUseOrThatDoesNotExistIsRefused() throws Exception {
    String chatOnly =
        gateway
            .createKey("{\"name\":\"chat-only\",\"allowedModels\":[\"chat\"]}")
            .get("key")
            .asText();

    UpgradeRejectedException notAllowed =
        refused("realtime", options -> options.addHeader("Authorization", "Bearer " + chatOnly));
    UpgradeRejectedException unknown =
        refused(
            "no-such-model", options -> options.addHeader("Authorization", "Bearer " + chatOnly));
    UpgradeRejectedException noModel =
        refused("", options -> options.addHeader("Authorization", "Bearer " + chatOnly));

    assertThat(notAllowed.getStatus()).isEqualTo(403);
    assertThat(errorOf(notAllowed).path("code").asText()).isEqualTo("model_not_allowed");
    assertThat(unknown.getStatus()).isEqualTo(404);
    assertThat(errorOf(unknown).path("code").asText()).isEqualTo("model_not_found");
    assertThat(noModel.getStatus()).isEqualTo(400);
    assertThat(errorOf(noModel).path("param").asText()).isEqualTo("model");
  }

  @Test
  void usageIsChargedFromResponseDoneAndLoggedInOneRowPerSession() throws Exception {
    JsonNode created = gateway.createKey("{\"name\":\"rt\",\"maxBudget\":10}");
    String requestId = requestId();
    Caller caller = connect("priced", created.get("key").asText(), requestId);

    caller.send("{\"type\":\"response.create\"}");
    JsonNode first = caller.nextOfType("response.done");
    caller.send("{\"type\":\"response.create\"}");
    JsonNode second = caller.nextOfType("response.done");
    caller.socket().close();

    assertThat(first.path("response").path("usage").path("input_tokens").asLong())
        .isEqualTo(MockRealtimeUpstream.INPUT_TOKENS);
    assertThat(second.path("response").path("id").asText())
        .isNotEqualTo(first.path("response").path("id").asText());
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId);
    assertThat(row.get("endpoint")).isEqualTo("realtime");
    assertThat(row.get("model")).isEqualTo("priced");
    assertThat(row.get("provider_model")).isEqualTo("priced-realtime");
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(101);
    assertThat(RequestLogs.number(row, "stream")).isEqualTo(1);
    assertThat(RequestLogs.number(row, "input_tokens"))
        .isEqualTo(2 * MockRealtimeUpstream.INPUT_TOKENS);
    assertThat(RequestLogs.number(row, "output_tokens"))
        .isEqualTo(2 * MockRealtimeUpstream.OUTPUT_TOKENS);
    assertThat(RequestLogs.number(row, "cached_tokens"))
        .isEqualTo(2 * MockRealtimeUpstream.CACHED_TOKENS);
    // 2 x (800 x $10 + 200 x $5 + 500 x $20) / 1M = $0.038
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(38_000_000L);
    assertThat(row.get("error_type")).isNull();
    assertThat(rowsOf(requestId)).isEqualTo(1);
    JsonNode view =
        Eventually.await(
            "the key's spend",
            () ->
                TestGateway.json(
                    gateway
                        .admin("GET", "/api/admin/virtual-keys/" + created.get("id").asText(), null)
                        .body()),
            node -> node.get("spend").decimalValue().compareTo(new BigDecimal("0.038")) == 0);
    assertThat(view.get("spend").decimalValue()).isEqualByComparingTo("0.038");
  }

  @Test
  void aResponseDoneInSeveralFramesIsRelayedAndCounted() throws Exception {
    String requestId = requestId();
    Caller caller = connect("fragmented", gateway.newKey(), requestId);

    caller.send("{\"type\":\"response.create\"}");
    JsonNode done = caller.nextOfType("response.done");
    caller.socket().close();

    assertThat(done.path("response").path("usage").path("output_tokens").asLong())
        .isEqualTo(MockRealtimeUpstream.OUTPUT_TOKENS);
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId);
    assertThat(RequestLogs.number(row, "output_tokens"))
        .isEqualTo(MockRealtimeUpstream.OUTPUT_TOKENS);
  }

  @Test
  void anExhaustedBudgetEndsTheSessionWithAnErrorEventAndClosesBothSides() throws Exception {
    // $0.01: enough to start (the reservation is 10 output tokens), not for a second response.
    JsonNode created = gateway.createKey("{\"name\":\"small\",\"maxBudget\":0.01}");
    String key = created.get("key").asText();
    String requestId = requestId();
    Caller caller = connect("priced", key, requestId);
    MockRealtimeUpstream.Session upstream = upstreamOf(caller);

    caller.send("{\"type\":\"response.create\"}");
    caller.nextOfType("response.done");
    JsonNode error = caller.nextOfType("error");

    assertThat(error.path("event_id").asText()).startsWith("event_");
    assertThat(error.path("error").path("type").asText()).isEqualTo("insufficient_quota");
    assertThat(error.path("error").path("code").asText()).isEqualTo("budget_exceeded");
    assertThat(error.path("error").path("message").asText())
        .startsWith("The realtime session was ended: ")
        .doesNotContain("max_tokens");
    assertThat(caller.closed().get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
    upstream.closed.get(10, TimeUnit.SECONDS);
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId);
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(402);
    assertThat(row.get("error_type")).isEqualTo("budget_exceeded");
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(19_000_000L);
    assertThat(rowsOf(requestId)).isEqualTo(1);

    // The next session is refused before its upgrade.
    UpgradeRejectedException next =
        refused("priced", options -> options.addHeader("Authorization", "Bearer " + key));
    assertThat(next.getStatus()).isEqualTo(402);
    assertThat(errorOf(next).path("code").asText()).isEqualTo("budget_exceeded");
  }

  @Test
  void aFailedUpstreamHandshakeFallsBackToTheNextDeployment() throws Exception {
    String requestId = requestId();
    int before = mock.handshakes().size();

    Caller caller = connect("failover", gateway.newKey(), requestId);

    assertThat(caller.nextEvent().path("type").asText()).isEqualTo("session.created");
    List<MockRealtimeUpstream.Handshake> handshakes =
        mock.handshakes().subList(before, mock.handshakes().size());
    assertThat(handshakes)
        .extracting(MockRealtimeUpstream.Handshake::query)
        .containsExactly("model=fail-503", "model=gpt-realtime");
    caller.socket().close();
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId);
    assertThat(RequestLogs.number(row, "attempts")).isEqualTo(3);
    assertThat(row.get("provider")).isEqualTo("openai");
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(101);
  }

  @Test
  void aProviderRefusalThatIsTheCallersAndAnUnsupportedProviderAreHttpErrors() throws Exception {
    String key = gateway.newKey();

    UpgradeRejectedException refusedUpstream =
        refused("refusing", options -> options.addHeader("Authorization", "Bearer " + key));
    UpgradeRejectedException unsupported =
        refused("groq-realtime", options -> options.addHeader("Authorization", "Bearer " + key));

    assertThat(refusedUpstream.getStatus()).isEqualTo(400);
    assertThat(errorOf(refusedUpstream).path("message").asText()).contains("mock 400");
    assertThat(unsupported.getStatus()).isEqualTo(400);
    assertThat(errorOf(unsupported).path("code").asText()).isEqualTo("unsupported_provider");
    assertThat(errorOf(unsupported).path("message").asText()).contains("no Realtime API");
  }

  @Test
  void azureSessionsGoToTheRealtimePathsWithTheApiKeyHeader() throws Exception {
    String key = gateway.newKey();

    Caller preview = connect("azure-realtime", key, requestId());
    MockRealtimeUpstream.Handshake previewHandshake = upstreamOf(preview).handshake;
    preview.socket().close();
    Caller v1 = connect("azure-v1-realtime", key, requestId());
    MockRealtimeUpstream.Handshake v1Handshake = upstreamOf(v1).handshake;
    v1.socket().close();

    assertThat(previewHandshake.path()).isEqualTo("/openai/realtime");
    assertThat(previewHandshake.query())
        .isEqualTo("api-version=2025-04-01-preview&deployment=realtime-deployment");
    assertThat(previewHandshake.headers().get("api-key")).isEqualTo(AZURE_KEY);
    assertThat(previewHandshake.headers()).doesNotContainKey("authorization");
    assertThat(v1Handshake.path()).isEqualTo("/openai/v1/realtime");
    assertThat(v1Handshake.query()).isEqualTo("model=realtime-deployment");
  }

  @Test
  void sessionsAreCountedInMetrics() throws Exception {
    Caller caller = connect("realtime", gateway.newKey(), requestId());
    caller.nextEvent();

    String open = gateway.client("GET", "/metrics", null, null).body();
    caller.socket().close();

    assertThat(open).containsPattern("conduit_realtime_sessions_total\\{[^}]*model=\"realtime\"");
    assertThat(open).containsPattern("conduit_realtime_sessions_active(\\{[^}]*\\})? [1-9]");
    Eventually.await(
        "no session open",
        () -> gateway.client("GET", "/metrics", null, null).body(),
        body -> body.contains("conduit_realtime_sessions_active 0.0"));
  }

  @Test
  void manyLargeFramesArriveWholeAndInOrder() throws Exception {
    Caller caller = connect("realtime", gateway.newKey(), requestId());
    caller.nextEvent();
    int frames = 60;
    byte[][] sent = new byte[frames][];
    for (int i = 0; i < frames; i++) {
      sent[i] = new byte[256 * 1024];
      java.util.Arrays.fill(sent[i], (byte) i);
      // Written without waiting: the relay must pause and resume on full write queues.
      caller.socket().writeBinaryMessage(Buffer.buffer(sent[i]));
    }

    for (int i = 0; i < frames; i++) {
      assertThat(caller.next())
          .as("echo %d", i)
          .isEqualTo("binary:" + Base64.getEncoder().encodeToString(sent[i]));
    }
    caller.socket().close();
  }

  @Test
  void rateLimitsAndAddressRulesApplyBeforeTheUpgrade() throws Exception {
    String limited = gateway.createKey("{\"name\":\"one-a-minute\",\"rpm\":1}").get("key").asText();
    String elsewhere =
        gateway
            .createKey("{\"name\":\"elsewhere\",\"ipAllowlist\":[\"10.0.0.0/8\"]}")
            .get("key")
            .asText();

    Caller first = connect("realtime", limited, requestId());
    first.nextEvent();
    UpgradeRejectedException second =
        refused("realtime", options -> options.addHeader("Authorization", "Bearer " + limited));
    UpgradeRejectedException wrongAddress =
        refused("realtime", options -> options.addHeader("Authorization", "Bearer " + elsewhere));
    first.socket().close();

    assertThat(second.getStatus()).isEqualTo(429);
    assertThat(errorOf(second).path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(wrongAddress.getStatus()).isEqualTo(403);
    assertThat(errorOf(wrongAddress).path("code").asText()).isEqualTo("ip_not_allowed");
  }

  @Test
  void aProviderThatDropsTheConnectionEndsTheSessionWithAnErrorEvent() throws Exception {
    String requestId = requestId();
    Caller caller = connect("dropping", gateway.newKey(), requestId);

    caller.send("{\"type\":\"response.create\"}");
    JsonNode error = caller.nextOfType("error");

    assertThat(error.path("error").path("code").asText()).isEqualTo("upstream_invalid_response");
    assertThat(caller.closed().get(10, TimeUnit.SECONDS)).isEqualTo((short) 1011);
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId);
    assertThat(RequestLogs.number(row, "status_code")).isEqualTo(502);
    assertThat(rowsOf(requestId)).isEqualTo(1);
  }

  @Test
  void aPlainGetIsToldToUseAWebSocket() throws Exception {
    var response = gateway.client("GET", "/v1/realtime?model=realtime", gateway.newKey(), null);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(response.body()).path("error").path("code").asText())
        .isEqualTo("websocket_required");
    assertThat(gateway.client("POST", "/v1/realtime", gateway.newKey(), "{}").statusCode())
        .isEqualTo(405);
  }
}
