package dev.conduit.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One turn of a conversation in the canonical model.
 *
 * <p>Which fields matter depends on the role: {@code toolCalls} only on {@link Role#ASSISTANT}
 * turns, {@code toolCallId} and {@code toolError} only on {@link Role#TOOL} turns. Lists are never
 * null. Consecutive turns of the same role are allowed; adapters whose provider forbids them merge
 * them.
 *
 * @param role who speaks
 * @param content text, image and reasoning parts, in order (may be empty, e.g. an assistant turn
 *     that only calls tools)
 * @param toolCalls tool calls made by an assistant turn
 * @param toolCallId the call a tool turn answers
 * @param name optional participant name (OpenAI's {@code name})
 * @param toolError whether a tool turn reports a failure (Anthropic's {@code is_error})
 */
public record Message(
    Role role,
    List<ContentPart> content,
    List<ToolCall> toolCalls,
    String toolCallId,
    String name,
    boolean toolError) {

  /** Who speaks a turn. OpenAI's {@code developer} role is {@link #SYSTEM}. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL
  }

  public Message {
    if (role == null) {
      throw new IllegalArgumentException("role is required");
    }
    content = content == null ? List.of() : List.copyOf(content);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static Message system(String text) {
    return new Message(Role.SYSTEM, List.of(new ContentPart.Text(text)), null, null, null, false);
  }

  public static Message user(String text) {
    return new Message(Role.USER, List.of(new ContentPart.Text(text)), null, null, null, false);
  }

  public static Message user(List<ContentPart> parts) {
    return new Message(Role.USER, parts, null, null, null, false);
  }

  public static Message assistant(String text, List<ToolCall> toolCalls) {
    List<ContentPart> parts =
        text == null || text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text));
    return new Message(Role.ASSISTANT, parts, toolCalls, null, null, false);
  }

  public static Message toolResult(String toolCallId, String text) {
    return new Message(
        Role.TOOL, List.of(new ContentPart.Text(text)), null, toolCallId, null, false);
  }

  /** The text parts joined, or "" when there are none. */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text t) {
        text.append(t.text());
      }
    }
    return text.toString();
  }

  /** Whether every part is text (no images or reasoning). */
  public boolean isTextOnly() {
    for (ContentPart part : content) {
      if (!(part instanceof ContentPart.Text)) {
        return false;
      }
    }
    return true;
  }

  /** A copy with {@code more} parts appended. */
  public Message withMoreContent(List<ContentPart> more) {
    List<ContentPart> all = new ArrayList<>(content);
    all.addAll(more);
    return new Message(role, all, toolCalls, toolCallId, name, toolError);
  }
}
