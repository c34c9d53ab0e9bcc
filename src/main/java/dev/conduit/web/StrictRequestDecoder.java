package dev.conduit.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;

/**
 * Vert.x's request decoder, stricter where a lenient reading invites request smuggling or a
 * confusing answer. A refusal becomes a request that fails to decode, which {@link ProtocolErrors}
 * answers before the connection is closed:
 *
 * <ul>
 *   <li>an HTTP version other than 1.0 and 1.1 (Vert.x would answer an empty 501): 505;
 *   <li>{@code Transfer-Encoding} together with {@code Content-Length} (Netty would drop the length
 *       and read chunks, where a proxy in front may have read the length: RFC 9112 section 6.3
 *       calls it an error to handle), a {@code Transfer-Encoding} other than exactly {@code
 *       chunked}, or one in an HTTP/1.0 request: 400.
 * </ul>
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  /** Why a request was refused, with the status and error code it is answered with. */
  static final class Refused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;

    Refused(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    String version = initialLine[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      if (version.startsWith("HTTP/")) {
        throw new Refused(
            505,
            "http_version_not_supported",
            "Only HTTP/1.1 and HTTP/1.0 are served on this port.");
      }
      throw new Refused(400, "malformed_request", "The request line is not an HTTP request line.");
    }
    return super.createMessage(initialLine);
  }

  /**
   * Netty asks this once a message's headers are complete and before it picks how to read the body:
   * the one place to refuse framing it would otherwise quietly repair.
   */
  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    if (message != null) {
      checkFraming(message);
    }
    return super.isContentAlwaysEmpty(message);
  }

  private static void checkFraming(HttpMessage message) {
    List<String> encodings = message.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (encodings.isEmpty()) {
      return;
    }
    if (message.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      throw new Refused(
          400,
          "ambiguous_request_length",
          "A request may not carry both Content-Length and Transfer-Encoding.");
    }
    if (encodings.size() != 1
        || !encodings.get(0).trim().equalsIgnoreCase("chunked")
        || !message.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      throw new Refused(
          400,
          "unsupported_transfer_encoding",
          "Only Transfer-Encoding: chunked is accepted, in HTTP/1.1 requests.");
    }
  }
}
