package dev.conduit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.provider.aws.AwsCredentials;
import dev.conduit.provider.aws.SigV4Signer;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An upstream that speaks AWS Bedrock's Converse API on a loopback port, for tests: {@code POST
 * /model/{modelId}/converse} (JSON), {@code /invoke} (image models) and {@code /converse-stream}
 * (binary AWS event-stream frames, some split across writes). It checks every request's SigV4
 * signature (service {@code bedrock}) by signing it again with the secret it knows, or accepts a
 * bearer API key, and answers AWS's 403 error otherwise. Its behaviour comes from the model id:
 *
 * <ul>
 *   <li>any other id: "Hello from Bedrock mock", streamed in three deltas; usage 12 input, 5
 *       cache-read, 2 cache-write and 3 output tokens;
 *   <li>{@code tool-call}: a text block and two tool uses (get_weather, get_time), their input
 *       streamed in pieces;
 *   <li>{@code throttled}, {@code validation}: 429 ThrottlingException, 400 ValidationException;
 *   <li>{@code html-error}: 502 with an HTML page; {@code invalid-json}: 200 with truncated JSON;
 *   <li>{@code cut-stream}: a delta, then the connection closes mid-frame; {@code no-stop}: no
 *       messageStop; {@code error-stream}: a delta, then a throttlingException frame; {@code
 *       exception-first}: an exception frame before any content; {@code corrupt-crc}: a frame whose
 *       CRC does not match; {@code unknown-event}: an event type Bedrock has not defined;
 *   <li>{@code gated}: the first delta, then waits for {@link #openGate()}.
 * </ul>
 */
public final class BedrockMockUpstream implements AutoCloseable {
  public static final String TEXT = "Hello from Bedrock mock";
  public static final List<String> PIECES = List.of("Hello", " from", " Bedrock mock");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> ADDED_BY_SIGNING =
      Set.of("host", "x-amz-date", "x-amz-security-token", "authorization");
  private static final String USAGE =
      "{\"inputTokens\":12,\"outputTokens\":3,\"totalTokens\":22,"
          + "\"cacheReadInputTokens\":5,\"cacheWriteInputTokens\":2}";

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final AwsCredentials credentials;
  private final String region;
  private final String apiKey;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<Void>> closed = new ConcurrentHashMap<>();
  private volatile Promise<Void> gate = Promise.promise();

  /**
   * One request as the mock received it.
   *
   * @param path the raw request path
   * @param modelId the model id, decoded from the path
   * @param headers request headers (lower-case names)
   * @param body parsed JSON body
   */
  public record Received(String path, String modelId, Map<String, String> headers, JsonNode body) {}

  /**
   * @param credentials the key pair (and session token) signatures must be made with
   * @param region the region signatures must name
   * @param apiKey a Bedrock API key accepted as bearer instead
   */
  public BedrockMockUpstream(AwsCredentials credentials, String region, String apiKey)
      throws Exception {
    this.credentials = credentials;
    this.region = region;
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

  public CompletableFuture<Void> connectionClosed(String modelId) {
    return closed.computeIfAbsent(modelId, name -> new CompletableFuture<>());
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              String path = request.path();
              String[] segments = path.split("/");
              if (segments.length != 4
                  || !segments[1].equals("model")
                  || !(segments[3].equals("converse")
                      || segments[3].equals("converse-stream")
                      || segments[3].equals("invoke"))) {
                error(request.response(), 404, "UnknownOperationException", "no route " + path);
                return;
              }
              String modelId = URLDecoder.decode(segments[2], StandardCharsets.UTF_8);
              JsonNode json;
              try {
                json = JSON.readTree(body.getBytes());
              } catch (Exception e) {
                error(request.response(), 400, "SerializationException", "bad json");
                return;
              }
              Map<String, String> headers = new ConcurrentHashMap<>();
              request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
              received.add(new Received(path, modelId, headers, json));
              String problem = authProblem(request, body);
              if (problem != null) {
                error(request.response(), 403, "InvalidSignatureException", problem);
                return;
              }
              if (segments[3].equals("invoke")) {
                invokeImages(request.response(), modelId, json);
                return;
              }
              respond(request.response(), modelId, segments[3].equals("converse-stream"));
            });
  }

  /** Null when the request is signed with the known credentials (or carries the API key). */
  private String authProblem(HttpServerRequest request, Buffer body) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null) {
      return "Missing Authentication Token";
    }
    if (authorization.startsWith("Bearer ")) {
      return authorization.equals("Bearer " + apiKey) ? null : "Invalid API key";
    }
    String amzDate = request.getHeader("X-Amz-Date");
    String signed = authorization.replaceAll(".*SignedHeaders=([^,]*),.*", "$1");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (String name : signed.split(";")) {
      if (!ADDED_BY_SIGNING.contains(name)) {
        headers.add(name, request.getHeader(name));
      }
    }
    AwsCredentials as =
        new AwsCredentials(
            credentials.accessKeyId(),
            credentials.secretAccessKey(),
            request.getHeader("X-Amz-Security-Token"));
    if (!java.util.Objects.equals(as.sessionToken(), credentials.sessionToken())) {
      return "The security token included in the request is invalid.";
    }
    Instant time = Instant.from(AMZ_DATE.parse(amzDate));
    new SigV4Signer("bedrock", region)
        .sign(
            request.method().name(),
            request.getHeader("Host"),
            request.path(),
            request.query(),
            headers,
            body.getBytes(),
            as,
            time);
    if (!authorization.equals(headers.get("Authorization"))) {
      return "The request signature we calculated does not match the signature you provided.";
    }
    return null;
  }

  /** The image Nova Canvas and Titan return here: a 1x1 PNG. */
  public static final String IMAGE_PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR42mP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

  /**
   * {@code InvokeModel} of an image model: {@code numberOfImages} images; a model id containing
   * {@code blocked} answers Nova's content-filter error instead.
   */
  private void invokeImages(HttpServerResponse response, String modelId, JsonNode body) {
    if (modelId.contains("blocked")) {
      json(
          response,
          200,
          "{\"images\":[],\"error\":\"This request has been blocked by our content filters.\"}");
      return;
    }
    int count = body.path("imageGenerationConfig").path("numberOfImages").asInt(1);
    StringBuilder images = new StringBuilder("{\"images\":[");
    for (int i = 0; i < count; i++) {
      images.append(i == 0 ? "\"" : ",\"").append(IMAGE_PNG).append('"');
    }
    json(response, 200, images.append("],\"error\":null}").toString());
  }

  private void respond(HttpServerResponse response, String modelId, boolean stream) {
    response.closeHandler(v -> connectionClosed(modelId).complete(null));
    switch (modelId) {
      case "throttled" ->
          error(
              response,
              429,
              "ThrottlingException",
              "Too many requests, please wait before trying again.");
      case "validation" ->
          error(response, 400, "ValidationException", "The provided model identifier is invalid.");
      case "html-error" ->
          response
              .setStatusCode(502)
              .putHeader("Content-Type", "text/html")
              .end("<html><body><h1>502 Bad Gateway</h1></body></html>");
      case "invalid-json" -> json(response, 200, "{\"output\":{\"message\":{\"content\":[{\"te");
      default -> {
        if (stream) {
          stream(response, modelId);
        } else {
          json(response, 200, answer(modelId));
        }
      }
    }
  }

  private static String answer(String modelId) {
    boolean tools = modelId.equals("tool-call");
    String content =
        tools
            ? "[{\"text\":\"Let me check.\"},{\"toolUse\":{\"toolUseId\":\"tooluse_mock1\","
                + "\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}},{\"toolUse\":"
                + "{\"toolUseId\":\"tooluse_mock2\",\"name\":\"get_time\",\"input\":{\"zone\":"
                + "\"CET\"}}}]"
            : "[{\"text\":\"" + TEXT + "\"}]";
    return "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
        + content
        + "}},"
        + "\"stopReason\":\""
        + (tools ? "tool_use" : "end_turn")
        + "\",\"usage\":"
        + USAGE
        + ",\"metrics\":{\"latencyMs\":120}}";
  }

  private void stream(HttpServerResponse response, String modelId) {
    response.setChunked(true).putHeader("Content-Type", "application/vnd.amazon.eventstream");
    if (modelId.equals("exception-first")) {
      response.end(
          Buffer.buffer(
              EventStreamFrames.exception(
                  "serviceUnavailableException", "{\"message\":\"Bedrock is unavailable.\"}")));
      return;
    }
    write(
        response,
        EventStreamFrames.event("messageStart", "{\"p\":\"abcdef\",\"role\":\"assistant\"}"));
    if (modelId.equals("tool-call")) {
      toolCallStream(response);
      return;
    }
    write(response, textDelta(PIECES.get(0)));
    Runnable rest =
        () -> {
          switch (modelId) {
            case "cut-stream" -> {
              byte[] next = textDelta(PIECES.get(1));
              response.write(Buffer.buffer().appendBytes(next, 0, next.length / 2));
              response.reset();
              return;
            }
            case "error-stream" -> {
              response.end(
                  Buffer.buffer(
                      EventStreamFrames.exception(
                          "throttlingException",
                          "{\"message\":\"Too many tokens, please wait before trying again.\"}")));
              return;
            }
            case "corrupt-crc" -> {
              byte[] next = textDelta(PIECES.get(1));
              next[next.length - 6] ^= 0x01;
              write(response, next);
            }
            case "unknown-event" ->
                write(
                    response,
                    EventStreamFrames.event(
                        "conduitTestNotice", "{\"note\":\"not a Bedrock event\"}"));
            default -> {}
          }
          for (String piece : PIECES.subList(1, PIECES.size())) {
            write(response, textDelta(piece));
          }
          write(response, EventStreamFrames.event("contentBlockStop", "{\"contentBlockIndex\":0}"));
          if (!modelId.equals("no-stop")) {
            write(
                response, EventStreamFrames.event("messageStop", "{\"stopReason\":\"end_turn\"}"));
          }
          response.end(
              Buffer.buffer(
                  EventStreamFrames.event(
                      "metadata", "{\"usage\":" + USAGE + ",\"metrics\":{\"latencyMs\":120}}")));
        };
    if (modelId.equals("gated")) {
      gate.future().onComplete(v -> rest.run());
    } else {
      rest.run();
    }
  }

  private static void toolCallStream(HttpServerResponse response) {
    write(response, textDelta("Let me check."));
    write(response, EventStreamFrames.event("contentBlockStop", "{\"contentBlockIndex\":0}"));
    toolBlock(
        response, 1, "tooluse_mock1", "get_weather", List.of("{\"ci", "ty\": \"Pa", "ris\"}"));
    toolBlock(response, 2, "tooluse_mock2", "get_time", List.of("{\"zone\"", ": \"CET\"}"));
    write(response, EventStreamFrames.event("messageStop", "{\"stopReason\":\"tool_use\"}"));
    response.end(
        Buffer.buffer(
            EventStreamFrames.event(
                "metadata", "{\"usage\":" + USAGE + ",\"metrics\":{\"latencyMs\":120}}")));
  }

  private static void toolBlock(
      HttpServerResponse response, int index, String id, String name, List<String> pieces) {
    write(
        response,
        EventStreamFrames.event(
            "contentBlockStart",
            "{\"contentBlockIndex\":"
                + index
                + ",\"start\":{\"toolUse\":{\"toolUseId\":\""
                + id
                + "\",\"name\":\""
                + name
                + "\"}}}"));
    for (String piece : pieces) {
      write(
          response,
          EventStreamFrames.event(
              "contentBlockDelta",
              "{\"contentBlockIndex\":"
                  + index
                  + ",\"delta\":{\"toolUse\":{\"input\":\""
                  + piece.replace("\"", "\\\"")
                  + "\"}}}"));
    }
    write(
        response,
        EventStreamFrames.event("contentBlockStop", "{\"contentBlockIndex\":" + index + "}"));
  }

  private static byte[] textDelta(String text) {
    return EventStreamFrames.event(
        "contentBlockDelta",
        "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"},\"p\":\"abcd\"}");
  }

  /** Writes a frame in two pieces, so the gateway sees frames split across reads. */
  private static void write(HttpServerResponse response, byte[] frame) {
    int half = frame.length / 2;
    response.write(Buffer.buffer(Arrays.copyOfRange(frame, 0, half)));
    response.write(Buffer.buffer(Arrays.copyOfRange(frame, half, frame.length)));
  }

  private static void error(HttpServerResponse response, int status, String type, String message) {
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader(
            "x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
        .putHeader("x-amzn-RequestId", "0b7c5d4e-mock")
        .end("{\"message\":\"" + message + "\"}");
  }

  private static void json(HttpServerResponse response, int status, String body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
