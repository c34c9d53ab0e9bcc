package dev.conduit.pipeline;

import dev.conduit.core.GatewayError;
import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Caps a stream at the output tokens its budget reservation covers (issue 11 item 7). An upstream
 * that ignores {@code max_tokens} could otherwise stream far past what the key's budget held back.
 * The caller's events are counted as they pass (the text of each, tokenized); the event that would
 * go past the limit is not forwarded, and the stream ends as a model that reached its limit ends
 * it: {@code finish_reason: "length"} then {@code [DONE]} for OpenAI callers, {@code stop_reason:
 * "max_tokens"} then {@code message_stop} for Anthropic callers, {@code response.incomplete} for
 * Responses callers (each dialect's {@link StreamCut}). The call is charged for the tokens
 * forwarded. Wraps the codec's translator only for keys whose spend is limited.
 */
final class OutputLimit implements StreamTranslator {
  private final StreamTranslator inner;
  private final long limitTokens;
  private final StreamCut dialect;
  private final StringBuilder text = new StringBuilder();
  private long forwardedTokens;
  private boolean cut;

  OutputLimit(StreamTranslator inner, long limitTokens, InboundCall call) {
    this.inner = inner;
    this.limitTokens = limitTokens;
    this.dialect = StreamCut.of(call);
  }

  @Override
  public void onBytes(Buffer chunk, Consumer<Buffer> toClient) {
    if (!cut) {
      inner.onBytes(chunk, piece -> forward(piece, toClient));
    }
  }

  @Override
  public GatewayError onEnd(Consumer<Buffer> toClient) {
    return cut ? null : inner.onEnd(piece -> forward(piece, toClient));
  }

  /** Whether the stream was ended at the limit: the caller's stream is complete. */
  @Override
  public boolean cutShort() {
    return cut;
  }

  @Override
  public Usage usage() {
    Usage usage = inner.usage();
    if (!cut) {
      return usage;
    }
    return new Usage(
        usage.inputTokens(), forwardedTokens, usage.cachedInputTokens(), usage.cacheWriteTokens());
  }

  @Override
  public GatewayError upstreamError() {
    return inner.upstreamError();
  }

  @Override
  public GatewayError broken() {
    return cut ? null : inner.broken();
  }

  private void forward(Buffer piece, Consumer<Buffer> toClient) {
    if (cut) {
      return;
    }
    text.setLength(0);
    dialect.appendOutput(piece, text);
    long tokens = text.length() == 0 ? 0 : TokenCounter.count(text);
    if (forwardedTokens + tokens > limitTokens) {
      cut = true;
      toClient.accept(dialect.closing(usage()));
      return;
    }
    forwardedTokens += tokens;
    dialect.forwarded(piece);
    toClient.accept(piece);
  }
}
