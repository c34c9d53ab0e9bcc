package dev.conduit.core;

import java.util.List;

/**
 * A complete (non-streamed) answer in the gateway's own model: one choice.
 *
 * @param id the provider's response id
 * @param model the model that answered, as the provider names it
 * @param text the answer's text (text blocks joined); null when the model only called tools
 * @param reasoning the model's visible reasoning, if it returned any; else null
 * @param toolCalls tool calls, in order (never null)
 * @param finishReason why it stopped; null if the provider did not say
 * @param stopSequence the stop sequence that ended it, when known
 * @param usage token counts ({@link Usage#NONE} when the provider reported none)
 */
public record ChatResponse(
    String id,
    String model,
    String text,
    String reasoning,
    List<ToolCall> toolCalls,
    FinishReason finishReason,
    String stopSequence,
    Usage usage) {

  public ChatResponse {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    usage = usage == null ? Usage.NONE : usage;
  }

  public ChatResponse withUsage(Usage newUsage) {
    return new ChatResponse(
        id, model, text, reasoning, toolCalls, finishReason, stopSequence, newUsage);
  }
}
