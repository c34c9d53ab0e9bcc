package dev.conduit.provider;

import dev.conduit.core.StreamChunk;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Reads one streamed upstream response into {@link StreamChunk}s, incrementally, as raw bytes
 * arrive. Raw bytes, not events, because framings differ: most providers send server-sent events
 * (see {@link dev.conduit.provider.sse.SseStreamParser}), AWS sends binary event-stream frames.
 * Pure: no I/O; one instance per response; used from one thread.
 */
public interface StreamParser {
  /**
   * Feeds the next bytes; emits every chunk they complete, in order.
   *
   * @throws InvalidUpstreamResponse when the bytes break the provider's protocol (an event that is
   *     not valid JSON, say); the stream cannot be read further
   */
  void feed(Buffer bytes, Consumer<StreamChunk> out);

  /**
   * The upstream ended its response. Emits anything still pending, and says whether the stream was
   * complete.
   *
   * @return null when the stream ended properly, else what was missing (e.g. "the stream was cut in
   *     the middle of an event")
   */
  String end(Consumer<StreamChunk> out);
}
