package dev.conduit.web;

import dev.conduit.core.GatewayError;
import dev.conduit.pipeline.ErrorFormat;
import io.vertx.core.buffer.Buffer;

/** {@link ErrorFormat} of the OpenAI-compatible API. */
public final class OpenAiErrorFormat implements ErrorFormat {
  public static final OpenAiErrorFormat INSTANCE = new OpenAiErrorFormat();

  private OpenAiErrorFormat() {}

  @Override
  public Buffer body(GatewayError error) {
    return OpenAiErrors.body(error);
  }

  @Override
  public Buffer streamEvent(GatewayError error) {
    return OpenAiErrors.streamEvent(error);
  }
}
