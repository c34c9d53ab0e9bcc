package dev.conduit.provider;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;

/**
 * The gateway's way out to providers' WebSocket APIs (the Realtime API): one Vert.x WebSocket
 * client per event loop, beside that loop's {@link UpstreamClient}. A handshake the provider
 * refuses fails with {@link Refused}, carrying its status, headers and body so the adapter can read
 * the error like any other.
 */
public final class UpstreamWebSockets {
  private final WebSocketClient client;

  /**
   * @param maxFrameBytes the largest frame (and message) accepted from a provider
   */
  public UpstreamWebSockets(Vertx vertx, int maxFrameBytes) {
    this.client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setTcpNoDelay(true)
                .setMaxFrameSize(maxFrameBytes)
                .setMaxMessageSize(maxFrameBytes)
                .setMaxConnections(Integer.MAX_VALUE));
  }

  /** The provider refused the handshake with an HTTP response. */
  public static final class Refused extends RuntimeException {
    private final int status;
    private final transient MultiMap headers;
    private final transient Buffer body;

    Refused(int status, MultiMap headers, Buffer body) {
      super("the WebSocket handshake was answered " + status, null, false, false);
      this.status = status;
      this.headers = headers == null ? MultiMap.caseInsensitiveMultiMap() : headers;
      this.body = body == null ? Buffer.buffer() : body;
    }

    public int status() {
      return status;
    }

    public MultiMap headers() {
      return headers;
    }

    public Buffer body() {
      return body;
    }
  }

  /**
   * Opens the WebSocket of {@code request} (an {@code http} or {@code https} URL, opened as {@code
   * ws} or {@code wss}); the handshake must complete within the connect and first-byte timeouts.
   * Must be called on an event loop.
   *
   * @param extraHeaders headers to send besides the request's (the caller's beta opt-in)
   */
  public Future<WebSocket> connect(
      UpstreamRequest request, UpstreamOptions options, MultiMap extraHeaders) {
    URI uri;
    try {
      uri = URI.create(request.url());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(
          new IllegalArgumentException("the provider's realtime URL is not valid"));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    boolean ssl = scheme.equals("https") || scheme.equals("wss");
    if (!ssl && !scheme.equals("http") && !scheme.equals("ws")) {
      return Future.failedFuture(
          new IllegalArgumentException("no WebSocket can be opened to a " + scheme + " URL"));
    }
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    Long connectMs = options.timeouts().connectMs();
    Long firstByteMs = options.timeouts().firstByteMs();
    WebSocketConnectOptions connect =
        new WebSocketConnectOptions()
            .setHost(uri.getHost())
            .setPort(port)
            .setSsl(ssl)
            .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
            .setAllowOriginHeader(false);
    if (connectMs != null) {
      connect.setConnectTimeout(connectMs);
    }
    if (connectMs != null && firstByteMs != null) {
      connect.setTimeout(connectMs + firstByteMs);
    }
    request.headers().forEach(header -> connect.addHeader(header.getKey(), header.getValue()));
    extraHeaders.forEach(header -> connect.addHeader(header.getKey(), header.getValue()));
    return client
        .connect(connect)
        .recover(
            failure ->
                Future.failedFuture(
                    failure instanceof UpgradeRejectedException rejected
                        ? new Refused(
                            rejected.getStatus(), rejected.getHeaders(), rejected.getBody())
                        : failure));
  }

  public Future<Void> close() {
    return client.close();
  }
}
