package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.pipeline.ErrorFormat;
import dev.conduit.web.OpenAiErrors;
import io.vertx.core.buffer.Buffer;

/**
 * Errors for Responses callers: OpenAI's error body, and in a stream the Responses {@code error}
 * event ({@code {"type":"error","code","message","param","sequence_number"}}).
 */
public final class ResponsesErrors implements ErrorFormat {
  public static final ResponsesErrors INSTANCE = new ResponsesErrors();

  private ResponsesErrors() {}

  @Override
  public Buffer body(GatewayError error) {
    return OpenAiErrors.body(error);
  }

  /**
   * A failure the gateway ends a stream with (the upstream was cut, the drain timed out); it does
   * not know the stream's sequence, so it numbers the event 0.
   */
  @Override
  public Buffer streamEvent(GatewayError error) {
    return event(error, 0);
  }

  static Buffer event(GatewayError error, int sequence) {
    ObjectNode data =
        Json.MAPPER
            .createObjectNode()
            .put("type", "error")
            .put("code", error.code())
            .put("message", error.message())
            .put("param", error.param())
            .put("sequence_number", sequence);
    return Buffer.buffer("event: error\ndata: " + data + "\n\n");
  }
}
