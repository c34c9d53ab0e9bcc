package dev.conduit.web;

import dev.conduit.core.GatewayError;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers a request the HTTP decoder refused (too long a line or headers, not HTTP, a framing or
 * version {@link StrictRequestDecoder} refuses) with an OpenAI-shaped JSON error, then closes the
 * connection: what follows a refused request on the wire cannot be trusted. The decoder's own
 * message is never echoed, since it may quote the caller's headers.
 */
final class ProtocolErrors {
  private ProtocolErrors() {}

  static void answer(HttpServerRequest request) {
    GatewayError error = errorFor(request.decoderResult().cause());
    HttpServerResponse response = request.response();
    response.putHeader(RequestIds.HEADER, RequestIds.of(request));
    response.putHeader(HttpHeaders.CONNECTION, "close");
    Responses.error(response, error, OpenAiErrorFormat.INSTANCE);
    request.connection().close();
  }

  static GatewayError errorFor(Throwable cause) {
    if (cause instanceof StrictRequestDecoder.Refused refused) {
      return refusal(refused.status, refused.code, refused.getMessage());
    }
    if (cause instanceof TooLongHttpLineException) {
      return refusal(414, "request_line_too_long", "The request line is too long.");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return refusal(431, "request_headers_too_large", "The request headers are too large.");
    }
    return refusal(400, "malformed_request", "The request is not valid HTTP/1.1.");
  }

  private static GatewayError refusal(int status, String code, String message) {
    return new GatewayError(status, "invalid_request_error", code, message, null);
  }
}
