package dev.conduit.pipeline;

import dev.conduit.core.StreamChunk;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Turns canonical stream chunks into the caller's stream events, as they come. Holds back only what
 * the caller's protocol needs to see first: nothing is written before the first chunk with content,
 * so an upstream that fails at once can still be retried elsewhere.
 */
public interface StreamEncoder {
  /** Encodes one chunk (a {@link StreamChunk.Failure} as the protocol's error event). */
  void encode(StreamChunk chunk, Consumer<Buffer> out);

  /** The upstream stream ended properly: writes the closing events. */
  void finish(Consumer<Buffer> out);

  /** Whether anything has been written to the caller yet. */
  boolean started();
}
