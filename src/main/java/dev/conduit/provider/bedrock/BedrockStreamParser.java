package dev.conduit.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.core.StreamChunk;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.aws.EventStreamDecoder;
import dev.conduit.provider.aws.EventStreamMessage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A ConverseStream response (binary AWS event-stream frames,
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html) to
 * canonical chunks. Tool calls are numbered among tool calls only (Converse's block index also
 * counts text blocks, which have no start event); usage arrives in {@code metadata}, after {@code
 * messageStop}. Exception frames become {@link StreamChunk.Failure}; unknown event and delta types
 * become {@link StreamChunk.Unknown}; members Bedrock adds for padding ({@code p}) are ignored.
 */
public final class BedrockStreamParser implements StreamParser {
  private static final ObjectMapper JSON = Json.MAPPER;

  private final EventStreamDecoder decoder = new EventStreamDecoder();
  private final ErrorMapper errors;

  /** Tool-call index per content block index, for the toolUse blocks. */
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();

  private int toolCalls;
  private boolean stopped;
  private boolean failed;

  /** Turns stream exception and error frames into the caller's errors. */
  public interface ErrorMapper {
    GatewayError exception(String exceptionType, String payload);

    GatewayError error(String errorCode, String message);
  }

  public BedrockStreamParser(ErrorMapper errors) {
    this.errors = errors;
  }

  @Override
  public void feed(Buffer bytes, Consumer<StreamChunk> out) {
    decoder.feed(bytes, message -> onMessage(message, out));
  }

  @Override
  public String end(Consumer<StreamChunk> out) {
    if (decoder.hasRemainder()) {
      return "the stream was cut in the middle of an event-stream frame";
    }
    if (stopped || failed) {
      return null;
    }
    return "the stream ended without its messageStop event";
  }

  private void onMessage(EventStreamMessage message, Consumer<StreamChunk> out) {
    String messageType = message.messageType();
    if ("exception".equals(messageType)) {
      failed = true;
      out.accept(
          new StreamChunk.Failure(
              errors.exception(message.header(":exception-type"), message.payloadText())));
      return;
    }
    if ("error".equals(messageType)) {
      failed = true;
      out.accept(
          new StreamChunk.Failure(
              errors.error(message.header(":error-code"), message.header(":error-message"))));
      return;
    }
    String type = message.header(":event-type");
    String data = message.payloadText();
    if (!"event".equals(messageType) || type == null) {
      out.accept(new StreamChunk.Unknown(type == null ? String.valueOf(messageType) : type, data));
      return;
    }
    JsonNode event;
    try {
      event = JSON.readTree(message.payload());
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("a stream event is not valid JSON");
    }
    if (event == null || !event.isObject()) {
      throw new InvalidUpstreamResponse("a stream event is not a JSON object");
    }
    switch (type) {
      case "messageStart" -> out.accept(new StreamChunk.Start(null, null));
      case "contentBlockStart" -> blockStart(event, data, out);
      case "contentBlockDelta" -> blockDelta(event, data, out);
      case "contentBlockStop" -> {}
      case "messageStop" -> {
        stopped = true;
        out.accept(
            new StreamChunk.Finish(
                BedrockResponseConverter.finishReason(event.path("stopReason").asText(null)),
                null));
      }
      case "metadata" -> {
        if (event.path("usage").isObject()) {
          out.accept(new StreamChunk.UsageUpdate(BedrockUsage.of(event.path("usage"))));
        }
      }
      default -> out.accept(new StreamChunk.Unknown(type, data));
    }
  }

  private void blockStart(JsonNode event, String data, Consumer<StreamChunk> out) {
    JsonNode toolUse = event.path("start").path("toolUse");
    if (!toolUse.isObject()) {
      out.accept(new StreamChunk.Unknown("contentBlockStart", data));
      return;
    }
    int index = toolCalls++;
    toolIndexByBlock.put(event.path("contentBlockIndex").asInt(), index);
    out.accept(
        new StreamChunk.ToolCallDelta(
            index, toolUse.path("toolUseId").asText(), toolUse.path("name").asText(), ""));
  }

  private void blockDelta(JsonNode event, String data, Consumer<StreamChunk> out) {
    JsonNode delta = event.path("delta");
    if (delta.has("text")) {
      String text = delta.path("text").asText("");
      if (!text.isEmpty()) {
        out.accept(new StreamChunk.TextDelta(text));
      }
    } else if (delta.has("toolUse")) {
      int block = event.path("contentBlockIndex").asInt();
      Integer index = toolIndexByBlock.get(block);
      if (index == null) {
        throw new InvalidUpstreamResponse(
            "tool input arrived for content block " + block + ", which is not a tool call");
      }
      String fragment = delta.path("toolUse").path("input").asText("");
      if (!fragment.isEmpty()) {
        out.accept(new StreamChunk.ToolCallDelta(index, null, null, fragment));
      }
    } else if (delta.has("reasoningContent")) {
      JsonNode reasoning = delta.path("reasoningContent");
      if (reasoning.has("text")) {
        String text = reasoning.path("text").asText("");
        if (!text.isEmpty()) {
          out.accept(new StreamChunk.ReasoningDelta(text, null));
        }
      } else if (reasoning.has("signature")) {
        out.accept(new StreamChunk.ReasoningDelta("", reasoning.path("signature").asText("")));
      }
      // redactedContent: nothing the caller can read
    } else {
      out.accept(new StreamChunk.Unknown("contentBlockDelta", data));
    }
  }
}
