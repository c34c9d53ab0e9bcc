package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import dev.conduit.core.Units;
import dev.conduit.core.Usage;
import io.vertx.core.MultiMap;
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
   * The upstream ended its response. Writes any closing bytes; returns the error to report when the
   * stream was incomplete (cut mid-event, or no terminal event), else null.
   */
  GatewayError onEnd(Consumer<Buffer> toClient);

  /**
   * Usage so far: what the upstream reported, completed by the gateway's own count when the stream
   * ended early or the upstream reported none.
   */
  Usage usage();

  /**
   * The non-token units the stream consumed so far (audio seconds, characters...), charged besides
   * its tokens when the stream settles; null for token-only streams.
   */
  default Units units() {
    return null;
  }

  /**
   * The {@code Content-Type} of the caller's stream: server-sent events unless the translator
   * relays something else (audio bytes).
   */
  default String contentType() {
    return "text/event-stream; charset=utf-8";
  }

  /**
   * The same, for a translator that relays the upstream's stream as the upstream labels it (speech
   * audio); by default {@link #contentType()}. Called once, when the upstream's answer begins.
   */
  default String contentType(MultiMap upstreamHeaders) {
    return contentType();
  }

  /** An error event the upstream sent mid-stream (already forwarded to the caller), or null. */
  GatewayError upstreamError();

  /**
   * Why the stream cannot go on, checked after each {@link #onBytes}: bytes that break the
   * upstream's protocol, or an upstream error before anything reached the caller. The pipeline then
   * stops reading and fails the attempt (trying another deployment if the caller has seen nothing).
   * Null while all is well.
   */
  default GatewayError broken() {
    return null;
  }

  /**
   * Whether the caller's stream was completed before the upstream's ended (checked after each
   * {@link #onBytes}): the output reached what the budget reserved ({@link OutputLimit}). The
   * pipeline then stops reading, ends the response and settles the call as answered.
   */
  default boolean cutShort() {
    return false;
  }
}
