package dev.conduit.api.openai;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.pipeline.ClientDialect;
import dev.conduit.pipeline.ErrorFormat;
import dev.conduit.pipeline.StreamEncoder;
import dev.conduit.web.OpenAiErrorFormat;
import io.vertx.core.buffer.Buffer;

/** The OpenAI client protocol ({@code /v1/chat/completions}) for translated calls. */
public final class OpenAiDialect implements ClientDialect {
  public static final OpenAiDialect INSTANCE = new OpenAiDialect();

  private OpenAiDialect() {}

  @Override
  public ChatRequest decodeChat(byte[] body) {
    return OpenAiRequestDecoder.decode(body);
  }

  @Override
  public Buffer encodeResponse(ChatResponse response) {
    return OpenAiResponseEncoder.encode(response, System.currentTimeMillis() / 1000);
  }

  @Override
  public StreamEncoder newStreamEncoder(boolean includeUsage) {
    return new OpenAiStreamEncoder(includeUsage, System.currentTimeMillis() / 1000);
  }

  @Override
  public ErrorFormat errors() {
    return OpenAiErrorFormat.INSTANCE;
  }
}
