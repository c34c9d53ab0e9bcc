package dev.conduit.api.anthropic;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.pipeline.ClientDialect;
import dev.conduit.pipeline.ErrorFormat;
import dev.conduit.pipeline.StreamEncoder;
import io.vertx.core.buffer.Buffer;

/** The Anthropic client protocol ({@code /v1/messages}) for translated calls. */
public final class AnthropicDialect implements ClientDialect {
  public static final AnthropicDialect INSTANCE = new AnthropicDialect();

  private AnthropicDialect() {}

  @Override
  public ChatRequest decodeChat(byte[] body) {
    return AnthropicRequestDecoder.decode(body);
  }

  @Override
  public Buffer encodeResponse(ChatResponse response) {
    return AnthropicResponseEncoder.encode(response);
  }

  /** Anthropic streams always carry usage, so {@code includeUsage} does not matter. */
  @Override
  public StreamEncoder newStreamEncoder(boolean includeUsage) {
    return new AnthropicStreamEncoder();
  }

  @Override
  public ErrorFormat errors() {
    return AnthropicErrors.INSTANCE;
  }
}
