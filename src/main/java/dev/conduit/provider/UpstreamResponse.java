package dev.conduit.provider;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A provider's response: status and headers are known, the body is read whole or streamed. Handlers
 * run on the event loop of the request that made the call.
 */
public interface UpstreamResponse {
  int status();

  MultiMap headers();

  /** Reads the whole body. */
  Future<Buffer> body();

  /**
   * Streams the body: {@code onChunk} for each piece as it arrives, then exactly one of {@code
   * onEnd} or {@code onFailure}.
   */
  void stream(Handler<Buffer> onChunk, Handler<Void> onEnd, Handler<Throwable> onFailure);

  /** Stops delivering chunks until {@link #resume()}: back-pressure from a slow caller. */
  void pause();

  void resume();
}
