package dev.conduit.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.FinishReason;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.core.StreamChunk;
import dev.conduit.core.ToolCall;
import dev.conduit.core.WireProtocol;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.anthropic.AnthropicResponseConverter;
import dev.conduit.provider.anthropic.AnthropicStreamParser;
import dev.conduit.provider.openai.OpenAiResponseConverter;
import dev.conduit.provider.openai.OpenAiStreamParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Moves a chat answer between its two forms, in the caller's protocol: a stored body read back into
 * the canonical {@link ChatResponse} (then replayed as stream chunks), and a streamed answer as the
 * caller received it parsed back into one. The readers are the providers' own (an OpenAI or
 * Anthropic upstream speaks what the caller speaks). Pure: no I/O.
 */
public final class Answers {
  private static final Function<JsonNode, GatewayError> FAILED =
      payload -> GatewayError.internal("the answer carried an error event");

  private Answers() {}

  /**
   * Reads a chat body in {@code protocol} back into the canonical answer.
   *
   * @throws RuntimeException when it is not a readable answer
   */
  public static ChatResponse read(WireProtocol protocol, byte[] body) {
    Buffer bytes = Buffer.buffer(body);
    return protocol == WireProtocol.ANTHROPIC
        ? AnthropicResponseConverter.fromUpstream(bytes)
        : OpenAiResponseConverter.fromUpstream(bytes);
  }

  /**
   * Whether a stored chat body can be replayed as a stream that says all it says: one choice of
   * text, reasoning and tool calls (OpenAI: no refusal, audio or annotations); text and tool-use
   * blocks (Anthropic: at most one text block, no citations, no thinking, whose signature a rebuilt
   * stream could not carry).
   */
  public static boolean replayableAsStream(WireProtocol protocol, byte[] body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      return false;
    }
    if (root == null || !root.isObject()) {
      return false;
    }
    if (protocol == WireProtocol.ANTHROPIC) {
      int textBlocks = 0;
      for (JsonNode block : root.path("content")) {
        String type = block.path("type").asText();
        if (type.equals("text")) {
          textBlocks++;
          if (block.hasNonNull("citations") && !block.path("citations").isEmpty()) {
            return false;
          }
        } else if (!type.equals("tool_use")) {
          return false;
        }
      }
      return textBlocks <= 1;
    }
    JsonNode choices = root.path("choices");
    if (choices.size() != 1) {
      return false;
    }
    JsonNode message = choices.get(0).path("message");
    return !message.hasNonNull("refusal")
        && !message.hasNonNull("audio")
        && (message.path("annotations").isMissingNode() || message.path("annotations").isEmpty())
        && (message.path("content").isTextual()
            || message.path("content").isNull()
            || message.path("content").isMissingNode());
  }

  /** A complete answer as the chunks of a stream that says the same. */
  public static List<StreamChunk> chunks(ChatResponse answer) {
    List<StreamChunk> chunks = new ArrayList<>();
    chunks.add(new StreamChunk.Start(answer.id(), answer.model()));
    if (answer.reasoning() != null && !answer.reasoning().isEmpty()) {
      chunks.add(new StreamChunk.ReasoningDelta(answer.reasoning(), null));
    }
    if (answer.text() != null && !answer.text().isEmpty()) {
      chunks.add(new StreamChunk.TextDelta(answer.text()));
    }
    for (int i = 0; i < answer.toolCalls().size(); i++) {
      ToolCall call = answer.toolCalls().get(i);
      chunks.add(new StreamChunk.ToolCallDelta(i, call.id(), call.name(), call.arguments()));
    }
    chunks.add(
        new StreamChunk.Finish(
            answer.finishReason() == null ? FinishReason.STOP : answer.finishReason(),
            answer.stopSequence()));
    chunks.add(new StreamChunk.UsageUpdate(answer.usage()));
    return chunks;
  }

  /** Whether an answer that stopped for {@code reason} may be stored. */
  public static boolean storable(FinishReason reason, boolean storeTruncated) {
    return reason != null && (reason != FinishReason.LENGTH || storeTruncated);
  }

  /** A parser of the caller's stream events in {@code protocol}. */
  static StreamParser parser(WireProtocol protocol) {
    return protocol == WireProtocol.ANTHROPIC
        ? new AnthropicStreamParser(FAILED)
        : new OpenAiStreamParser(FAILED);
  }
}
