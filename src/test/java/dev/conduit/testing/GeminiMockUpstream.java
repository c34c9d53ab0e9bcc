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
 * An upstream that speaks Google's Gemini protocol on a loopback port, for tests: the Gemini API
 * ({@code /v1beta/models/{model}:method}, key in {@code x-goog-api-key}) and Vertex AI ({@code
 * /v1/projects/{p}/locations/{r}/publishers/google/models/{model}:method}, a bearer token from
 * {@link MockTokenEndpoint}). It serves {@code generateContent}, {@code
 * streamGenerateContent?alt=sse} (events end with CRLF CRLF, no {@code [DONE]}), {@code
 * batchEmbedContents}, {@code predict} (embeddings; images for {@code imagen*} models) and the
 * Gemini API's model list (health checks), refuses wrong credentials with Google's 401/403 bodies,
 * and takes its behaviour from the model in the path:
 *
 * <ul>
 *   <li>any other name: "Hello from Gemini mock", streamed in three events; usage 17 prompt tokens
 *       (5 cached), 3 candidate and 2 thought tokens;
 *   <li>{@code tool-call}: "Let me check." and two function calls (get_weather, with a thought
 *       signature, and get_time), both whole in one event;
 *   <li>{@code fail-NNN}: HTTP NNN with a Google error body, message {@code mock NNN};
 *   <li>{@code html-error}: 502 with an HTML page; {@code invalid-json}: 200 with truncated JSON;
 *   <li>{@code cut-stream}: one event, then the connection closes mid-event; {@code no-finish}: a
 *       stream without a finishReason; {@code error-stream}: one event, then an error event; {@code
 *       error-first}: an error event before any content; {@code unknown-event}: a named event
 *       Gemini does not send, in a normal stream;
 *   <li>{@code gated}: the first event, then waits for {@link #openGate()}.
 * </ul>
 */
public final class GeminiMockUpstream implements AutoCloseable {
  public static final String TEXT = "Hello from Gemini mock";
  public static final List<String> PIECES = List.of("Hello", " from", " Gemini mock");
  public static final String SIGNATURE = "CiQBjz1rX4aZ+tn/Pq0=";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USAGE =
      "{\"promptTokenCount\":17,\"candidatesTokenCount\":3,"
          + "\"thoughtsTokenCount\":2,\"cachedContentTokenCount\":5,\"totalTokenCount\":22}";

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final String apiKey;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<Void>> closed = new ConcurrentHashMap<>();
  private volatile Promise<Void> gate = Promise.promise();

  /**
   * One request as the mock received it.
   *
   * @param path request path (with the {@code :method})
   * @param query query string, or null
   * @param headers request headers (lower-case names)
   * @param body parsed JSON body
   */
  public record Received(String path, String query, Map<String, String> headers, JsonNode body) {}

  /**
   * @param apiKey the key Gemini API calls must carry
   */
  public GeminiMockUpstream(String apiKey) throws Exception {
    this.apiKey = apiKey;
    server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  /** Base URL for a {@code googlecloud} provider's {@code baseUrl}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Received> received() {
    return received;
  }

  public Received lastReceived() {
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
        && request.path().equals("/v1beta/models")) {
      Map<String, String> headers = new ConcurrentHashMap<>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      received.add(new Received(request.path(), request.query(), headers, null));
      if (apiKey.equals(request.getHeader("x-goog-api-key"))) {
        json(
            request.response(),
            200,
            "{\"models\":[{\"name\":\"models/gemini-2.5-flash\"}],"
                + "\"nextPageToken\":\"next\"}");
      } else {
        json(
            request.response(),
            400,
            "{\"error\":{\"code\":400,\"message\":\"API key not "
                + "valid.\",\"status\":\"INVALID_ARGUMENT\"}}");
      }
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
                error(request.response(), 400, "INVALID_ARGUMENT", "bad json");
                return;
              }
              Map<String, String> headers = new ConcurrentHashMap<>();
              request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
              received.add(new Received(request.path(), request.query(), headers, json));
              String path = request.path();
              int models = path.lastIndexOf("/models/");
              int colon = path.lastIndexOf(':');
              if (models < 0 || colon < models) {
                error(request.response(), 404, "NOT_FOUND", "no route " + path);
                return;
              }
              boolean vertex = path.startsWith("/v1/projects/");
              if (!vertex && !path.startsWith("/v1beta/models/")) {
                error(request.response(), 404, "NOT_FOUND", "no route " + path);
                return;
              }
              if (vertex
                  ? !headers.getOrDefault("authorization", "").startsWith("Bearer token-")
                  : !apiKey.equals(headers.get("x-goog-api-key"))) {
                if (vertex) {
                  error(
                      request.response(),
                      401,
                      "UNAUTHENTICATED",
                      "Request had invalid authentication " + "credentials.");
                } else {
                  json(
                      request.response(),
                      400,
                      "{\"error\":{\"code\":400,\"message\":\"API key not "
                          + "valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\","
                          + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
                          + "\"reason\":\"API_KEY_INVALID\"}]}}");
                }
                return;
              }
              String model = path.substring(models + "/models/".length(), colon);
              String method = path.substring(colon + 1);
              respond(request.response(), model, method, json, vertex);
            });
  }

  private void respond(
      HttpServerResponse response, String model, String method, JsonNode body, boolean vertex) {
    response.closeHandler(v -> connectionClosed(model).complete(null));
    if (model.startsWith("fail-")) {
      int status = Integer.parseInt(model.substring(5));
      error(response, status, statusName(status), "mock " + status);
      return;
    }
    switch (model) {
      case "html-error" ->
          response
              .setStatusCode(502)
              .putHeader("Content-Type", "text/html")
              .end("<html><body><h1>502 Bad Gateway</h1><p>Google Front End</p></body></html>");
      case "invalid-json" -> json(response, 200, "{\"candidates\":[{\"content\":{\"parts\":[{\"te");
      default -> {
        switch (method) {
          case "generateContent" -> json(response, 200, answer(model));
          case "streamGenerateContent" -> stream(response, model);
          case "batchEmbedContents" ->
              json(response, 200, embeddings(body.path("requests").size(), false));
          case "predict" ->
              json(
                  response,
                  200,
                  model.startsWith("imagen")
                      ? imagen(model, body)
                      : embeddings(body.path("instances").size(), true));
          default -> error(response, 404, "NOT_FOUND", "no method " + method);
        }
      }
    }
  }

  /**
   * Imagen's {@code predict} answer: {@code sampleCount} PNG images; {@code imagen-filtered} has
   * every image filtered out (a {@code raiFilteredReason} and no bytes).
   */
  private static String imagen(String model, JsonNode body) {
    int count = body.path("parameters").path("sampleCount").asInt(1);
    StringBuilder out = new StringBuilder("{\"predictions\":[");
    for (int i = 0; i < count; i++) {
      out.append(i == 0 ? "" : ",");
      out.append(
          model.equals("imagen-filtered")
              ? "{\"raiFilteredReason\":\"Unable to show generated images. 56\"}"
              : "{\"mimeType\":\"image/png\",\"bytesBase64Encoded\":\"" + IMAGEN_PNG + "\"}");
    }
    return out.append("]}").toString();
  }

  /** The image Imagen models return: a 1x1 PNG. */
  public static final String IMAGEN_PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  private static String answer(String model) {
    String parts = model.equals("tool-call") ? toolParts("Let me check.") : textPart(TEXT);
    return "{\"candidates\":[{\"content\":{\"parts\":"
        + parts
        + ",\"role\":\"model\"},"
        + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":"
        + USAGE
        + ",\"modelVersion\":\""
        + model
        + "-001\",\"responseId\":\"mockResponse1\"}";
  }

  private void stream(HttpServerResponse response, String model) {
    response.setChunked(true).putHeader("Content-Type", "text/event-stream");
    if (model.equals("error-first")) {
      response.end(errorEvent());
      return;
    }
    if (model.equals("tool-call")) {
      response.write(event(textPart("Let me check."), null, model));
      response.end(event(toolParts(""), "STOP", model));
      return;
    }
    response.write(event(textPart(PIECES.get(0)), null, model));
    Runnable rest =
        () -> {
          switch (model) {
            case "cut-stream" -> {
              response.write("data: {\"candidates\": [{\"content\": {\"par");
              response.reset();
              return;
            }
            case "error-stream" -> {
              response.end(errorEvent());
              return;
            }
            case "unknown-event" ->
                response.write(
                    "event: conduit_test_notice\r\ndata: "
                        + "{\"note\":\"not a Gemini event\"}\r\n\r\n");
            default -> {}
          }
          response.write(event(textPart(PIECES.get(1)), null, model));
          response.end(
              event(textPart(PIECES.get(2)), model.equals("no-finish") ? null : "STOP", model));
        };
    if (model.equals("gated")) {
      gate.future().onComplete(v -> rest.run());
    } else {
      rest.run();
    }
  }

  private static String event(String parts, String finishReason, String model) {
    return "data: {\"candidates\": [{\"content\": {\"parts\": "
        + parts
        + ",\"role\": \"model\"}"
        + (finishReason == null ? "" : ",\"finishReason\": \"" + finishReason + "\"")
        + ",\"index\": 0}],\"usageMetadata\": "
        + USAGE
        + ",\"modelVersion\": \""
        + model
        + "-001\",\"responseId\": \"mockResponse1\"}\r\n\r\n";
  }

  private static String errorEvent() {
    return "data: {\"error\": {\"code\": 503, \"message\": \"The model is overloaded.\", "
        + "\"status\": \"UNAVAILABLE\"}}\r\n\r\n";
  }

  private static String textPart(String text) {
    return "[{\"text\":\"" + text + "\"}]";
  }

  private static String toolParts(String text) {
    return "["
        + (text.isEmpty() ? "" : "{\"text\":\"" + text + "\"},")
        + "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}},"
        + "\"thoughtSignature\":\""
        + SIGNATURE
        + "\"},"
        + "{\"functionCall\":{\"name\":\"get_time\",\"args\":{\"zone\":\"CET\"}}}]";
  }

  /** Vector i is [i + 0.5, -i, 0.25]; Vertex answers carry 4 tokens per input. */
  private static String embeddings(int count, boolean vertex) {
    StringBuilder out = new StringBuilder(vertex ? "{\"predictions\":[" : "{\"embeddings\":[");
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.append(',');
      }
      String values = "\"values\":[" + (i + 0.5) + "," + (-i) + ",0.25]";
      out.append(
          vertex
              ? "{\"embeddings\":{\"statistics\":{\"truncated\":false,\"token_count\":4},"
                  + values
                  + "}}"
              : "{" + values + "}");
    }
    return out.append("]}").toString();
  }

  private static String statusName(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      default -> "INTERNAL";
    };
  }

  private static void error(
      HttpServerResponse response, int status, String statusName, String message) {
    json(
        response,
        status,
        "{\"error\":{\"code\":"
            + status
            + ",\"message\":\""
            + message
            + "\",\"status\":\""
            + statusName
            + "\"}}");
  }

  private static void json(HttpServerResponse response, int status, String body) {
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=UTF-8")
        .end(body);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
