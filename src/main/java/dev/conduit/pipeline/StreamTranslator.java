package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Turns an upstream stream into the caller's stream, piece by piece, as bytes arrive: nothing is
 * held back longer than it takes to complete an event.
 */
public interface StreamTranslator {
  /** Feeds upstream bytes; writes whatever the caller should get now to {@code toClient}. */
  void onBytes(Buffer chunk, Consumer<Buffer> toClient);

  /**
   * The upstream ended its response. Writes any closing bytes; returns the error to report when
   * the stream was incomplete (cut mid-event, or no terminal event), else null.
   */
  GatewayError onEnd(Consumer<Buffer> toClient);

  /** Usage reported (or counted) so far. */
  Usage usage();

  /** An error event the upstream sent mid-stream (already forwarded to the caller), or null. */
  GatewayError upstreamError();
}
