package dev.conduit.api;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a size limit; a larger body fails with 413 as soon as it shows. Its
 * bytes are taken from the process's {@link BodyBytesInFlight} as they arrive (all at once when
 * {@code Content-Length} declares them); when they do not fit, the read fails with 503. A failed
 * read gives its bytes back; after a successful one the caller releases them.
 */
public final class BodyReader {
  private BodyReader() {}

  static Future<Buffer> read(HttpServerRequest request, long limit, BodyBytesInFlight.Share share) {
    Future<Buffer> read = read(request, limit, share::grow);
    return read.onFailure(failure -> share.release());
  }

  private interface Room {
    boolean take(long bytes);
  }

  private static Future<Buffer> read(HttpServerRequest request, long limit, Room room) {
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
      if (declaredLength > 0 && !room.take(declaredLength)) {
        return Future.failedFuture(BodyBytesInFlight.full());
      }
    }
    boolean counted = declaredLength >= 0;
    Promise<Buffer> result = Promise.promise();
    Buffer body = Buffer.buffer(declaredLength > 0 ? (int) declaredLength : 1024);
    request.handler(
        chunk -> {
          if (result.future().isComplete()) {
            return;
          }
          if (body.length() + chunk.length() > limit) {
            result.tryFail(new GatewayException(GatewayError.payloadTooLarge(limit)));
          } else if (!counted && !room.take(chunk.length())) {
            result.tryFail(BodyBytesInFlight.full());
          } else {
            body.appendBuffer(chunk);
          }
        });
    request.endHandler(v -> result.tryComplete(body));
    request.exceptionHandler(result::tryFail);
    return result.future();
  }
}
