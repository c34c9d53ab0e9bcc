package dev.conduit.api;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body up to a size limit; a larger body fails with 413 as soon as it shows. */
public final class BodyReader {
  private BodyReader() {}

  public static Future<Buffer> read(HttpServerRequest request, long limit) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declaredLength = -1;
    if (declared != null) {
      try {
        declaredLength = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return Future.failedFuture(
            new GatewayException(
                GatewayError.badRequest(
                    "invalid_content_length", "The Content-Length header is not a number.", null)));
      }
      if (declaredLength > limit) {
        return Future.failedFuture(new GatewayException(GatewayError.payloadTooLarge(limit)));
      }
    }
    Promise<Buffer> result = Promise.promise();
    Buffer body = Buffer.buffer(declaredLength > 0 ? (int) declaredLength : 1024);
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > limit) {
            result.tryFail(new GatewayException(GatewayError.payloadTooLarge(limit)));
          } else if (!result.future().isComplete()) {
            body.appendBuffer(chunk);
          }
        });
    request.endHandler(v -> result.tryComplete(body));
    request.exceptionHandler(result::tryFail);
    return result.future();
  }
}
