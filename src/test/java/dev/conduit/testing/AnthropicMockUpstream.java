package dev.conduit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An upstream that speaks Anthropic's Messages API ({@code POST /v1/messages}, JSON and SSE) on a
 * loopback port, for tests. Like {@link MockUpstream}, it takes its behaviour from the requested
 * model:
 *
 * <ul>
 *   <li>any other name: "Hello from Anthropic mock", streamed as three text deltas (with a ping),
 *       usage 10 input + 2 cache-write + 5 cache-read, 3 output;
 *   <li>{@code tool-call}: a text block and two tool calls (get_weather, get_time), their arguments
 *       streamed in pieces;
 *   <li>{@code fail-NNN}: HTTP NNN with an Anthropic error body, message {@code mock NNN}; {@code
 *       overloaded}: 529 {@code overloaded_error};
 *   <li>{@code html-error}: 502 with an HTML page; {@code invalid-json}: 200 with truncated JSON;
 *   <li>{@code cut-stream}: a delta, then the connection closes mid-event; {@code no-stop}: a
 *       stream without {@code message_stop}; {@code error-stream}: a delta, then an {@code error}
 *       event; {@code error-first}: an {@code error} event before any content; {@code
 *       unknown-event}: an event type Anthropic has not defined, in a normal stream;
 *   <li>{@code gated}: the first delta, then waits for {@link #openGate()}; {@code hang}: never
 *       answers.
 * </ul>
 *
 * <p>{@code GET /v1/models} (the gateway's health check) answers an empty list and is not recorded.
 */
public final class AnthropicMockUpstream implements AutoCloseable {
  public static final String TEXT = "Hello from Anthropic mock";
  public static final List<String> PIECES = List.of("Hello", " from", " Anthropic mock");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<MockUpstream.Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<Void>> closed = new ConcurrentHashMap<>();
  private volatile Promise<Void> gate = Promise.promise();

  public AnthropicMockUpstream() throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  /** Base URL as configured for an {@code anthropic} provider (no {@code /v1}). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<MockUpstream.Received> received() {
    return received;
  }

  public MockUpstream.Received lastReceived() {
    return received.get(received.size() - 1);
  }

  public void openGate() {
    Promise<Void> current = gate;
    gate = Promise.promise();
    vertx.runOnContext(v -> current.tryComplete());
  }

  public CompletableFuture<Void> connectionClosed(String model) {
    return closed.computeIfAbsent(model, name -> new CompletableFuture<>());
  }

  private void handle(HttpServerRequest request) {
    if (request.method() == io.vertx.core.http.HttpMethod.GET
        && request.path().equals("/v1/models")) {
      // The gateway's health check: answered, not recorded among the calls tests look at.
      json(
          request.response(),
          200,
          "{\"data\":[],\"has_more\":false,\"first_id\":null,\"last_id\":null}");
      return;
    }
    request
        .body()
        .onSuccess(
            body -> {
              JsonNode json;
              try {
                json = JSON.readTree(body.getBytes());
              } catch (Exception e) {
                error(request.response(), 400, "invalid_request_error", "bad json");
                return;
              }
              Map<String, String> headers = new ConcurrentHashMap<>();
              request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
              received.add(
                  new MockUpstream.Received(request.path(), headers, json, request.query()));
              if (!request.path().equals("/v1/messages")) {
                error(request.response(), 404, "not_found_error", "no route " + request.path());
                return;
              }
              respond(request.response(), json);
            });
  }

  private void respond(HttpServerResponse response, JsonNode body) {
    String model = body.path("model").asText("");
    response.closeHandler(v -> connectionClosed(model).complete(null));
    if (model.startsWith("fail-")) {
      int status = Integer.parseInt(model.substring(5));
      error(response, status, typeOf(status), "mock " + status);
      return;
    }
    switch (model) {
      case "overloaded" -> error(response, 529, "overloaded_error", "Overloaded");
      case "hang" -> {}
      case "html-error" ->
          response
              .setStatusCode(502)
              .putHeader("Content-Type", "text/html")
              .end("<html><body><h1>502 Bad Gateway</h1><p>cloudflare</p></body></html>");
      case "invalid-json" ->
          json(
              response,
              200,
              "{\"id\":\"msg_mock\",\"type\":\"message\"," + "\"content\":[{\"type\":\"te");
      default -> {
        if (body.path("stream").asBoolean(false)) {
          stream(response, model);
        } else {
          json(response, 200, message(model));
        }
      }
    }
  }

  private static String message(String model) {
    String content =
        model.equals("tool-call")
            ? "[{\"type\":\"text\",\"text\":\"Let me check.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_mock1\",\"name\":\"get_weather\","
                + "\"input\":{\"city\":\"Paris\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_mock2\",\"name\":\"get_time\","
                + "\"input\":{\"zone\":\"CET\"}}]"
            : "[{\"type\":\"text\",\"text\":\"" + TEXT + "\"}]";
    String stop = model.equals("tool-call") ? "tool_use" : "end_turn";
    return "{\"id\":\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
        + model
        + "\",\"content\":"
        + content
        + ",\"stop_reason\":\""
        + stop
        + "\","
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,"
        + "\"cache_creation_input_tokens\":2,\"cache_read_input_tokens\":5,\"output_tokens\":3}}";
  }

  private void stream(HttpServerResponse response, String model) {
    response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8");
    response.write(
        event(
            "message_start",
            "{\"type\":\"message_start\",\"message\":{\"id\":"
                + "\"msg_mock\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\""
                + model
                + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{"
                + "\"input_tokens\":10,\"cache_creation_input_tokens\":2,\"cache_read_input_tokens\":5,"
                + "\"output_tokens\":1}}}"));
    if (model.equals("error-first")) {
      response.end(
          event(
              "error",
              "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                  + "\"message\":\"Overloaded\"}}"));
      return;
    }
    if (model.equals("tool-call")) {
      toolCallStream(response);
      return;
    }
    response.write(
        event(
            "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    response.write(event("ping", "{\"type\": \"ping\"}"));
    response.write(textDelta(PIECES.get(0)));
    Runnable rest =
        () -> {
          switch (model) {
            case "cut-stream" -> {
              response.write("event: content_block_delta\ndata: {\"type\":\"content_block_de");
              response.reset();
              return;
            }
            case "error-stream" -> {
              response.end(
                  event(
                      "error",
                      "{\"type\":\"error\",\"error\":{\"type\":"
                          + "\"overloaded_error\",\"message\":\"Overloaded\"}}"));
              return;
            }
            case "unknown-event" ->
                response.write(
                    event(
                        "conduit_test_notice",
                        "{\"type\":\"conduit_test_notice\",\"note\":\"not an Anthropic event\"}"));
            default -> {}
          }
          for (String piece : PIECES.subList(1, PIECES.size())) {
            response.write(textDelta(piece));
          }
          response.write(
              event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
          response.write(
              event(
                  "message_delta",
                  "{\"type\":\"message_delta\",\"delta\":{"
                      + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}"));
          if (model.equals("no-stop")) {
            response.end();
          } else {
            response.end(event("message_stop", "{\"type\":\"message_stop\"}"));
          }
        };
    if (model.equals("gated")) {
      gate.future().onComplete(v -> rest.run());
    } else {
      rest.run();
    }
  }

  private static void toolCallStream(HttpServerResponse response) {
    response.write(
        event(
            "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    response.write(textDelta("Let me check."));
    response.write(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
    toolBlock(response, 1, "toolu_mock1", "get_weather", List.of("{\"ci", "ty\": \"Pa", "ris\"}"));
    toolBlock(response, 2, "toolu_mock2", "get_time", List.of("{\"zone\"", ": \"CET\"}"));
    response.write(
        event(
            "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{"
                + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":3}}"));
    response.end(event("message_stop", "{\"type\":\"message_stop\"}"));
  }

  private static void toolBlock(
      HttpServerResponse response, int index, String id, String name, List<String> pieces) {
    response.write(
        event(
            "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":"
                + index
                + ",\"content_block\":{\"type\":\"tool_use\",\"id\":\""
                + id
                + "\",\"name\":\""
                + name
                + "\",\"input\":{}}}"));
    for (String piece : pieces) {
      String escaped = piece.replace("\"", "\\\"");
      response.write(
          event(
              "content_block_delta",
              "{\"type\":\"content_block_delta\",\"index\":"
                  + index
                  + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\""
                  + escaped
                  + "\"}}"));
    }
    response.write(
        event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}"));
  }

  private static String textDelta(String text) {
    return event(
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"text_delta\",\"text\":\""
            + text
            + "\"}}");
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  private static String typeOf(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      case 529 -> "overloaded_error";
      default -> status < 500 ? "invalid_request_error" : "api_error";
    };
  }

  private static void error(HttpServerResponse response, int status, String type, String message) {
    json(
        response,
        status,
        "{\"type\":\"error\",\"error\":{\"type\":\""
            + type
            + "\",\"message\":\""
            + message
            + "\"},\"request_id\":\"req_mock\"}");
  }

  private static void json(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
