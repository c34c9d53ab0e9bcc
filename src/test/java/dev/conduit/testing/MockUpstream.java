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
 * An OpenAI-compatible upstream on a loopback port, for tests. It speaks OpenAI's wire format (JSON
 * and SSE) and takes its behaviour from the requested model name, so a test reads plainly:
 *
 * <ul>
 *   <li>any other name: a normal answer ("Hello from mock"), streamed as 3 content chunks;
 *   <li>{@code fail-NNN}: HTTP NNN with an OpenAI-shaped error whose message is {@code mock NNN};
 *   <li>{@code html-error}: 502 with an HTML page;
 *   <li>{@code invalid-json}: 200 with a truncated JSON body;
 *   <li>{@code hang}: never answers;
 *   <li>{@code gated}: sends the first stream chunk, then waits for {@link #openGate()};
 *   <li>{@code cut-stream}: two chunks, then the connection is closed mid-event;
 *   <li>{@code no-done}: a complete-looking stream that ends without {@code [DONE]};
 *   <li>{@code error-stream}: one chunk, then an error event;
 *   <li>{@code no-usage}: never reports usage;
 *   <li>{@code finish-length}, {@code finish-null}: a whole chat answer whose finish reason is
 *       {@code length} (cut at the output limit), or null (no reason given);
 *   <li>{@code rate-limit-S}: 429 with {@code Retry-After: S} (seconds);
 *   <li>{@code rate-limit-ms-N}: 429 with {@code retry-after-ms: N};
 *   <li>{@code slow-first-byte-MS}: answers normally after MS milliseconds;
 *   <li>{@code flaky-N}: every Nth call of that model name (N, 2N, ...) fails with 503, the others
 *       answer normally: a failure rate of 1/N, made deterministic;
 *   <li>{@code long-stream-N}: streamed, N content chunks of one word each, whatever {@code
 *       max_tokens} says (an upstream that ignores the limit); usage reports N completion tokens;
 *   <li>{@code tool-call}: two tool calls (get_weather, get_time), their arguments streamed in
 *       pieces.
 * </ul>
 *
 * <p>{@link #breakModel} makes any model name fail with a status until {@link #healModel}; {@link
 * #breakModelsList} does the same for {@code GET /models} (the health check call). {@link
 * #holdModel} keeps the calls for a model name (unless broken) unanswered until {@link
 * #releaseHeld} answers them with a status: calls still in flight while the test changes what
 * happens next.
 *
 * <p>{@code POST /responses} is answered in OpenAI's Responses API ({@link MockResponsesApi});
 * {@code /images/generations} and {@code /images/edits} (multipart bodies are read into JSON, files
 * by their size and SHA-256) in OpenAI's Images API ({@link MockImagesApi}); the audio endpoints as
 * OpenAI's audio API ({@link MockAudioApi}); {@code /v2/rerank} and {@code /v1/rerank} as Cohere's,
 * Jina's or Voyage's rerank API ({@link MockRerankApi}).
 *
 * <p>Azure OpenAI paths ({@code /openai/deployments/{name}/chat/completions?api-version=...}) are
 * answered the same way; {@link Received#query()} shows the query string.
 *
 * <p>{@code POST /moderations} is answered with one flagged result (violence).
 */
public final class MockUpstream implements AutoCloseable {
  public static final String TEXT = "Hello from mock";

  /** Any API key starting with this is answered 401, as a provider answers a revoked key. */
  public static final String REJECTED_KEY_PREFIX = "sk-revoked-";

  public static final List<String> STREAM_PIECES = List.of("Hello", " from", " mock");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<Void>> closed = new ConcurrentHashMap<>();
  private volatile Promise<Void> gate = Promise.promise();
  private final Map<String, Integer> broken = new ConcurrentHashMap<>();
  private final java.util.Set<String> holding = ConcurrentHashMap.newKeySet();
  private final Map<String, List<java.util.function.IntConsumer>> held = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> calls =
      new ConcurrentHashMap<>();
  private volatile int modelsListStatus = 200;
  private final MockResponsesApi responses = new MockResponsesApi();
  private final MockAudioApi audio = new MockAudioApi();
  private final MockRerankApi rerank = new MockRerankApi();
  private final MockImagesApi images = new MockImagesApi();

  /**
   * One request as the mock received it.
   *
   * @param path request path
   * @param headers request headers (lower-case names)
   * @param body parsed JSON body
   * @param query the query string, or null
   */
  public record Received(String path, Map<String, String> headers, JsonNode body, String query) {
    /** The gateway's health checks list models; no test sends that itself. */
    boolean isHealthCheck() {
      return path.endsWith("/models");
    }
  }

  public MockUpstream() throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  /** Base URL as configured for an OpenAI-compatible provider, e.g. {@code .../v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public int port() {
    return server.actualPort();
  }

  /** Model calls received, in order; the gateway's background health checks are left out. */
  public List<Received> received() {
    return received.stream().filter(call -> !call.isHealthCheck()).toList();
  }

  /** Everything received, health checks included. */
  public List<Received> allReceived() {
    return List.copyOf(received);
  }

  /** The last model call (never a background health check, which may come at any time). */
  public Received lastReceived() {
    List<Received> calls = received();
    return calls.get(calls.size() - 1);
  }

  /** Calls received for {@code model} so far. */
  public int calls(String model) {
    var count = calls.get(model);
    return count == null ? 0 : count.get();
  }

  /** Requests received on {@code path} (e.g. {@code /v1/models}). */
  public long received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).count();
  }

  /** Makes every call for {@code model} fail with {@code status} until healed. */
  public void breakModel(String model, int status) {
    broken.put(model, status);
  }

  /** Answers {@code model} normally again; calls already held stay held until released. */
  public void healModel(String model) {
    broken.remove(model);
    holding.remove(model);
  }

  /**
   * Keeps the calls for {@code model} from now on (until healed) unanswered, until {@link
   * #releaseHeld}.
   */
  public void holdModel(String model) {
    holding.add(model);
  }

  /** Answers the calls held for {@code model} so far with {@code status}. */
  public void releaseHeld(String model, int status) {
    List<java.util.function.IntConsumer> answers = held.remove(model);
    if (answers != null) {
      answers.forEach(answer -> answer.accept(status));
    }
  }

  /** Makes {@code GET /models} answer {@code status} (200 heals it). */
  public void breakModelsList(int status) {
    modelsListStatus = status;
  }

  /** Lets the {@code gated} streams started so far continue past their first chunk. */
  public void openGate() {
    Promise<Void> current = gate;
    gate = Promise.promise();
    vertx.runOnContext(v -> current.tryComplete());
  }

  /** Completes when the caller of a {@code gated} or {@code hang} request closed the connection. */
  public CompletableFuture<Void> connectionClosed(String model) {
    return closed.computeIfAbsent(model, name -> new CompletableFuture<>());
  }

  /**
   * The audio uploads received (transcriptions, translations), as {@link MockAudioApi} read them.
   */
  public List<MockAudioApi.Upload> audioUploads() {
    return audio.uploads();
  }

  private void handle(HttpServerRequest request) {
    if (MockAudioApi.isUpload(request.path())) {
      audio.upload(request);
      return;
    }
    request
        .body()
        .onSuccess(
            body -> {
              JsonNode json;
              try {
                String type = request.getHeader("Content-Type");
                json =
                    type != null && type.startsWith("multipart/form-data")
                        ? MockImagesApi.form(body.getBytes(), type)
                        : body.length() == 0
                            ? JSON.createObjectNode()
                            : JSON.readTree(body.getBytes());
              } catch (Exception e) {
                request.response().setStatusCode(400).end("{\"error\":{\"message\":\"bad json\"}}");
                return;
              }
              Map<String, String> headers = new ConcurrentHashMap<>();
              request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
              received.add(new Received(request.path(), headers, json, request.query()));
              respond(request, json);
            });
  }

  private void respond(HttpServerRequest request, JsonNode body) {
    HttpServerResponse response = request.response();
    String model = body.path("model").asText("");
    response.closeHandler(v -> connectionClosed(model).complete(null));
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.startsWith("Bearer " + REJECTED_KEY_PREFIX)) {
      error(response, 401);
      return;
    }
    if (request.path().endsWith("/models")) {
      if (modelsListStatus != 200) {
        error(response, modelsListStatus);
      } else {
        json(response, 200, "{\"object\":\"list\",\"data\":[]}");
      }
      return;
    }
    int call =
        calls
            .computeIfAbsent(model, name -> new java.util.concurrent.atomic.AtomicInteger())
            .incrementAndGet();
    Integer forced = broken.get(model);
    if (forced != null) {
      error(response, forced);
      return;
    }
    if (holding.contains(model)) {
      io.vertx.core.Context context = vertx.getOrCreateContext();
      held.computeIfAbsent(model, name -> new CopyOnWriteArrayList<>())
          .add(status -> context.runOnContext(v -> error(response, status)));
      return;
    }
    if (model.startsWith("fail-")) {
      error(response, Integer.parseInt(model.substring(5)));
      return;
    }
    if (model.startsWith("rate-limit-ms-")) {
      response.putHeader("retry-after-ms", model.substring("rate-limit-ms-".length()));
      error(response, 429);
      return;
    }
    if (model.startsWith("rate-limit-")) {
      response.putHeader("Retry-After", model.substring("rate-limit-".length()));
      error(response, 429);
      return;
    }
    if (model.startsWith("flaky-")
        && call % Integer.parseInt(model.substring("flaky-".length())) == 0) {
      error(response, 503);
      return;
    }
    if (model.startsWith("slow-first-byte-")) {
      long delay = Long.parseLong(model.substring("slow-first-byte-".length()));
      vertx.setTimer(
          delay,
          id -> {
            if (!response.closed()) {
              answer(request, body, model);
            }
          });
      return;
    }
    switch (model) {
      case "hang" -> {
        return;
      }
      case "html-error" -> {
        response
            .setStatusCode(502)
            .putHeader("Content-Type", "text/html")
            .end("<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>");
        return;
      }
      case "invalid-json" -> {
        json(response, 200, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":");
        return;
      }
      default -> {}
    }
    answer(request, body, model);
  }

  private void answer(HttpServerRequest request, JsonNode body, String model) {
    HttpServerResponse response = request.response();
    String path = request.path();
    if (path.endsWith("/embeddings")) {
      json(response, 200, embeddings(body));
    } else if (path.endsWith("/moderations")) {
      json(response, 200, moderation(model));
    } else if (path.endsWith("/models")) {
      json(response, 200, "{\"object\":\"list\",\"data\":[]}");
    } else if (path.endsWith("/responses")) {
      responses.answer(response, body, model);
    } else if (path.endsWith("/audio/speech")) {
      audio.speech(response, body, model, gate.future());
    } else if (MockRerankApi.isRerank(path)) {
      rerank.answer(response, path, body);
    } else if (path.endsWith("/images/generations") || path.endsWith("/images/edits")) {
      images.answer(response, body, model);
    } else if (body.path("stream").asBoolean(false)) {
      stream(response, body, model);
    } else if (path.endsWith("/chat/completions") && model.equals("tool-call")) {
      json(response, 200, toolCallCompletion());
    } else if (path.endsWith("/chat/completions")) {
      json(response, 200, chatCompletion(model));
    } else {
      json(
          response,
          200,
          "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,"
              + "\"model\":\""
              + model
              + "\",\"choices\":[{\"index\":0,\"text\":\""
              + TEXT
              + "\",\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":4,"
              + "\"completion_tokens\":3,\"total_tokens\":7}}");
    }
  }

  /** OpenAI's moderation answer (https://platform.openai.com/docs/api-reference/moderations). */
  private static String moderation(String model) {
    return """
        {"id":"modr-mock","model":"%s","results":[{"flagged":true,\
        "categories":{"harassment":false,"violence":true},\
        "category_scores":{"harassment":0.01,"violence":0.97},\
        "category_applied_input_types":{"harassment":["text"],"violence":["text"]}}]}"""
        .formatted(model);
  }

  private void stream(HttpServerResponse response, JsonNode body, String model) {
    boolean includeUsage =
        body.path("stream_options").path("include_usage").asBoolean(false)
            && !model.equals("no-usage");
    response.setChunked(true).putHeader("Content-Type", "text/event-stream");
    String usageField = includeUsage ? ",\"usage\":null" : "";
    if (model.equals("tool-call")) {
      toolCallStream(response, includeUsage, usageField);
      return;
    }
    if (model.startsWith("long-stream-")) {
      longStream(response, model, includeUsage, usageField);
      return;
    }
    response.write(
        chunk(
            model,
            "{\"role\":\"assistant\",\"content\":\"" + STREAM_PIECES.get(0) + "\"}",
            null,
            usageField));
    Runnable rest =
        () -> {
          switch (model) {
            case "cut-stream" -> {
              response.write(
                  chunk(model, "{\"content\":\"" + STREAM_PIECES.get(1) + "\"}", null, usageField));
              response.write("data: {\"id\":\"chatcmpl-mock\",\"obj");
              response.reset();
              return;
            }
            case "error-stream" -> {
              response.end(
                  "data: {\"error\":{\"message\":\"mock stream failure\",\"type\":"
                      + "\"server_error\",\"param\":null,\"code\":\"mock_stream\"}}\n\n");
              return;
            }
            default -> {}
          }
          for (String piece : STREAM_PIECES.subList(1, STREAM_PIECES.size())) {
            response.write(chunk(model, "{\"content\":\"" + piece + "\"}", null, usageField));
          }
          response.write(chunk(model, "{}", "\"stop\"", usageField));
          if (includeUsage) {
            response.write(
                "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\","
                    + "\"created\":1,\"model\":\""
                    + model
                    + "\",\"choices\":[],\"usage\":"
                    + usage()
                    + "}\n\n");
          }
          if (model.equals("no-done")) {
            response.end();
          } else {
            response.end("data: [DONE]\n\n");
          }
        };
    if (model.equals("gated")) {
      gate.future().onComplete(v -> rest.run());
    } else {
      rest.run();
    }
  }

  /** {@code long-stream-N}: N one-word chunks, written in slices so back-pressure applies. */
  private void longStream(
      HttpServerResponse response, String model, boolean includeUsage, String usageField) {
    int words = Integer.parseInt(model.substring("long-stream-".length()));
    response.write(chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null, usageField));
    writeWords(response, model, words, 0, includeUsage, usageField);
  }

  private void writeWords(
      HttpServerResponse response,
      String model,
      int words,
      int from,
      boolean includeUsage,
      String usageField) {
    if (response.closed()) {
      return;
    }
    int to = Math.min(words, from + 200);
    StringBuilder slice = new StringBuilder();
    for (int i = from; i < to; i++) {
      slice.append(chunk(model, "{\"content\":\" word\"}", null, usageField));
    }
    response.write(slice.toString());
    if (to < words) {
      vertx.runOnContext(v -> writeWords(response, model, words, to, includeUsage, usageField));
      return;
    }
    response.write(chunk(model, "{}", "\"stop\"", usageField));
    if (includeUsage) {
      response.write(
          "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\","
              + "\"created\":1,\"model\":\""
              + model
              + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":"
              + words
              + ",\"total_tokens\":"
              + (12 + words)
              + "}}\n\n");
    }
    response.end("data: [DONE]\n\n");
  }

  private static void toolCallStream(
      HttpServerResponse response, boolean includeUsage, String usageField) {
    response.write(
        chunk("tool-call", "{\"role\":\"assistant\",\"content\":null}", null, usageField));
    String[][] calls = {
      {"call_mock1", "get_weather", "{\\\"ci", "ty\\\": \\\"Pa", "ris\\\"}"},
      {"call_mock2", "get_time", "{\\\"zone\\\"", ": \\\"CET\\\"}"}
    };
    for (int index = 0; index < calls.length; index++) {
      String[] call = calls[index];
      response.write(
          chunk(
              "tool-call",
              "{\"tool_calls\":[{\"index\":"
                  + index
                  + ",\"id\":\""
                  + call[0]
                  + "\",\"type\":\"function\",\"function\":{\"name\":\""
                  + call[1]
                  + "\",\"arguments\":\"\"}}]}",
              null,
              usageField));
      for (int piece = 2; piece < call.length; piece++) {
        response.write(
            chunk(
                "tool-call",
                "{\"tool_calls\":[{\"index\":"
                    + index
                    + ",\"function\":{\"arguments\":\""
                    + call[piece]
                    + "\"}}]}",
                null,
                usageField));
      }
    }
    response.write(chunk("tool-call", "{}", "\"tool_calls\"", usageField));
    if (includeUsage) {
      response.write(
          "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\","
              + "\"created\":1,\"model\":\"tool-call\",\"choices\":[],\"usage\":"
              + usage()
              + "}\n\n");
    }
    response.end("data: [DONE]\n\n");
  }

  private static String toolCallCompletion() {
    return "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":1,"
        + "\"model\":\"tool-call\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
        + "\"assistant\",\"content\":null,\"tool_calls\":["
        + "{\"id\":\"call_mock1\",\"type\":\"function\",\"function\":{\"name\":"
        + "\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}},"
        + "{\"id\":\"call_mock2\",\"type\":\"function\",\"function\":{\"name\":"
        + "\"get_time\",\"arguments\":\"{\\\"zone\\\": \\\"CET\\\"}\"}}]},"
        + "\"finish_reason\":\"tool_calls\"}],\"usage\":"
        + usage()
        + "}";
  }

  private static String chunk(String model, String delta, String finishReason, String usage) {
    return "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":1,"
        + "\"model\":\""
        + model
        + "\",\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"finish_reason\":"
        + finishReason
        + "}]"
        + usage
        + "}\n\n";
  }

  private static String chatCompletion(String model) {
    return "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":1,\"model\":\""
        + model
        + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + TEXT
        + "\"},\"finish_reason\":"
        + finishReason(model)
        + "}],\"usage\":"
        + usage()
        + "}";
  }

  private static String finishReason(String model) {
    return switch (model) {
      case "finish-length" -> "\"length\"";
      case "finish-null" -> "null";
      default -> "\"stop\"";
    };
  }

  /** 12 prompt tokens (5 of them cached) and 3 completion tokens. */
  private static String usage() {
    return "{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":5}}";
  }

  private static String embeddings(JsonNode body) {
    int count = body.path("input").isArray() ? body.path("input").size() : 1;
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        data.append(',');
      }
      data.append("{\"object\":\"embedding\",\"index\":")
          .append(i)
          .append(",\"embedding\":[0.1,0.2,0.3]}");
    }
    return "{\"object\":\"list\",\"data\":["
        + data
        + "],\"model\":\""
        + body.path("model").asText()
        + "\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}";
  }

  static void error(HttpServerResponse response, int status) {
    json(
        response,
        status,
        "{\"error\":{\"message\":\"mock "
            + status
            + "\",\"type\":\""
            + (status < 500 ? "invalid_request_error" : "server_error")
            + "\",\"param\":null,\"code\":\"mock_"
            + status
            + "\"}}");
  }

  static void json(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
