package dev.conduit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Realtime API upstream on a loopback port, for tests: OpenAI's WebSocket ({@code
 * /v1/realtime?model=...}) and Azure's ({@code /openai/realtime?api-version=...&deployment=...},
 * {@code /openai/v1/realtime?model=...}). The model (or deployment) name picks its behaviour:
 *
 * <ul>
 *   <li>{@code fail-NNN}: the handshake is refused with HTTP NNN and an OpenAI error body;
 *   <li>{@code fragmented}: its {@code response.done} events come in two frames;
 *   <li>{@code drop}: a {@code response.create} makes it drop the connection, without a close
 *       frame;
 *   <li>any other name: a session.
 * </ul>
 *
 * <p>A session sends {@code session.created} at once, then echoes each message it receives (text as
 * text, binary as binary), except {@code response.create}, which it answers with {@code
 * response.created}, one {@code response.output_text.delta} and a {@code response.done} whose usage
 * is {@link #INPUT_TOKENS} in (of which {@link #CACHED_TOKENS} cached) and {@link #OUTPUT_TOKENS}
 * out.
 */
public final class MockRealtimeUpstream implements AutoCloseable {
  public static final long INPUT_TOKENS = 1_000;
  public static final long CACHED_TOKENS = 200;
  public static final long OUTPUT_TOKENS = 500;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();

  /**
   * One handshake as received.
   *
   * @param path request path
   * @param query query string
   * @param headers request headers (lower-case names)
   */
  public record Handshake(String path, String query, Map<String, String> headers) {}

  /** One accepted session: the messages it received, in order, and when it closed. */
  public static final class Session {
    /** Text messages as strings; binary ones as {@code binary:<base64>}. */
    public final List<String> received = new CopyOnWriteArrayList<>();

    public final CompletableFuture<Short> closed = new CompletableFuture<>();
    public final Handshake handshake;

    Session(Handshake handshake) {
      this.handshake = handshake;
    }
  }

  public MockRealtimeUpstream() throws Exception {
    server =
        vertx
            .createHttpServer(
                new HttpServerOptions()
                    .setMaxWebSocketFrameSize(16 * 1024 * 1024)
                    .setMaxWebSocketMessageSize(16 * 1024 * 1024))
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  /** Handshakes received, refused ones included, in order. */
  public List<Handshake> handshakes() {
    return List.copyOf(handshakes);
  }

  /** Sessions accepted, in order. */
  public List<Session> sessions() {
    return List.copyOf(sessions);
  }

  /**
   * The session accepted right after the first {@code earlier} ones, once it is. A caller's upgrade
   * can complete before this mock has registered the session behind it, so "the last session" may
   * still be the one before.
   */
  public Session sessionAfter(int earlier) throws Exception {
    return Eventually.await("an upstream session", () -> sessions, list -> list.size() > earlier)
        .get(earlier);
  }

  private void handle(HttpServerRequest request) {
    Map<String, String> headers = new ConcurrentHashMap<>();
    request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
    Handshake handshake = new Handshake(request.path(), request.query(), headers);
    handshakes.add(handshake);
    String model =
        request.getParam("deployment") != null
            ? request.getParam("deployment")
            : request.getParam("model", "");
    if (!request.path().endsWith("/realtime")) {
      request.response().setStatusCode(404).end();
      return;
    }
    if (model.startsWith("fail-")) {
      int status = Integer.parseInt(model.substring(5));
      request
          .response()
          .setStatusCode(status)
          .putHeader("Content-Type", "application/json")
          .end(
              "{\"error\":{\"message\":\"mock "
                  + status
                  + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
      return;
    }
    request
        .toWebSocket()
        .onSuccess(
            socket -> {
              if (model.equals("drop")) {
                // A provider that goes away mid-session: the TCP connection ends, no close frame.
                socket.textMessageHandler(
                    text ->
                        ((io.vertx.core.internal.http.WebSocketInternal) socket)
                            .channelHandlerContext()
                            .pipeline()
                            // From the head: past the handler that would send a close frame.
                            .firstContext()
                            .close());
                sessions.add(new Session(handshake));
                return;
              }
              serve(socket, new Session(handshake), model.equals("fragmented"));
            });
  }

  private void serve(ServerWebSocket socket, Session session, boolean fragmented) {
    sessions.add(session);
    socket.closeHandler(v -> session.closed.complete(socket.closeStatusCode()));
    socket.writeTextMessage(
        "{\"type\":\"session.created\",\"event_id\":\"event_1\",\"session\":{\"id\":\"sess_1\"}}");
    socket.textMessageHandler(
        text -> {
          session.received.add(text);
          String type;
          try {
            JsonNode event = JSON.readTree(text);
            type = event.path("type").asText();
          } catch (Exception e) {
            type = "";
          }
          if (type.equals("response.create")) {
            respond(socket, session.received.size(), fragmented);
          } else {
            socket.writeTextMessage(text);
          }
        });
    socket.binaryMessageHandler(
        data -> {
          session.received.add(
              "binary:" + java.util.Base64.getEncoder().encodeToString(data.getBytes()));
          socket.writeBinaryMessage(data);
        });
  }

  private static void respond(ServerWebSocket socket, int number, boolean fragmented) {
    String id = "resp_" + number;
    socket.writeTextMessage(
        "{\"type\":\"response.created\",\"event_id\":\"event_c"
            + number
            + "\",\"response\":{\"id\":\""
            + id
            + "\",\"status\":\"in_progress\"}}");
    socket.writeTextMessage(
        "{\"type\":\"response.output_text.delta\",\"event_id\":\"event_d"
            + number
            + "\",\"response_id\":\""
            + id
            + "\",\"delta\":\"Hello\"}");
    String done =
        "{\"type\":\"response.done\",\"event_id\":\"event_e"
            + number
            + "\",\"response\":{\"id\":\""
            + id
            + "\",\"object\":\"realtime.response\",\"status\":\"completed\",\"output\":[],"
            + "\"usage\":{\"total_tokens\":"
            + (INPUT_TOKENS + OUTPUT_TOKENS)
            + ",\"input_tokens\":"
            + INPUT_TOKENS
            + ",\"output_tokens\":"
            + OUTPUT_TOKENS
            + ",\"input_token_details\":{\"cached_tokens\":"
            + CACHED_TOKENS
            + ",\"text_tokens\":"
            + INPUT_TOKENS
            + ",\"audio_tokens\":0},\"output_token_details\":{\"text_tokens\":"
            + OUTPUT_TOKENS
            + ",\"audio_tokens\":0}}}}";
    if (fragmented) {
      int half = done.length() / 2;
      socket.writeFrame(WebSocketFrame.textFrame(done.substring(0, half), false));
      socket.writeFrame(
          WebSocketFrame.continuationFrame(Buffer.buffer(done.substring(half)), true));
    } else {
      socket.writeTextMessage(done);
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
