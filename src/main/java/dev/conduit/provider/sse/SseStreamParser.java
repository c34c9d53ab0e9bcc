package dev.conduit.provider.sse;

import dev.conduit.core.StreamChunk;
import dev.conduit.provider.StreamParser;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * A {@link StreamParser} for providers that stream server-sent events: splits the bytes into events
 * and hands each one's name and data to {@link #onEvent}. Comments and keep-alives (events without
 * data) are skipped.
 */
public abstract class SseStreamParser implements StreamParser {
  private final SseEventSplitter splitter = new SseEventSplitter();

  @Override
  public final void feed(Buffer bytes, Consumer<StreamChunk> out) {
    splitter.feed(
        bytes,
        event -> {
          SseEvents.Parsed parsed = SseEvents.parse(event);
          if (parsed.data() != null) {
            onEvent(parsed.name(), parsed.data(), out);
          }
        });
  }

  @Override
  public final String end(Consumer<StreamChunk> out) {
    if (splitter.hasRemainder()) {
      return "the stream was cut in the middle of an event";
    }
    return missingAtEnd(out);
  }

  /**
   * One complete event.
   *
   * @param name its {@code event:} name, or null
   * @param data its data lines joined
   * @throws dev.conduit.provider.InvalidUpstreamResponse when the data breaks the protocol
   */
  protected abstract void onEvent(String name, String data, Consumer<StreamChunk> out);

  /**
   * The upstream ended after a whole event. Emits anything pending; returns null when the stream
   * was complete, else what was missing.
   */
  protected abstract String missingAtEnd(Consumer<StreamChunk> out);
}
