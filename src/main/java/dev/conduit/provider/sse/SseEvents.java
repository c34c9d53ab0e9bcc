package dev.conduit.provider.sse;

import io.vertx.core.buffer.Buffer;

/** Reading the fields of one server-sent event as emitted by {@link SseEventSplitter}. */
public final class SseEvents {
  private SseEvents() {}

  /**
   * The event's data: the values of its {@code data:} lines joined by newlines, or null when it has
   * none (a comment or keep-alive).
   */
  public static String data(Buffer event) {
    return field(event, "data");
  }

  /** The event's {@code event:} name, or null. */
  public static String eventName(Buffer event) {
    return field(event, "event");
  }

  private static String field(Buffer event, String name) {
    return field(event.toString(), name);
  }

  private static String field(String text, String name) {
    StringBuilder value = null;
    int position = 0;
    int length = text.length();
    while (position < length) {
      int end = position;
      while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      if (text.startsWith(name, position)
          && (position + name.length() == end || text.charAt(position + name.length()) == ':')) {
        int valueStart = Math.min(position + name.length() + 1, end);
        if (valueStart < end && text.charAt(valueStart) == ' ') {
          valueStart++;
        }
        if (value == null) {
          value = new StringBuilder();
        } else {
          value.append('\n');
        }
        value.append(text, valueStart, end);
      }
      position = end + 1;
      if (end + 1 < length && text.charAt(end) == '\r' && text.charAt(end + 1) == '\n') {
        position++;
      }
    }
    return value == null ? null : value.toString();
  }

  /** The name and data of an event, read in one pass over its text. */
  public static Parsed parse(Buffer event) {
    String text = event.toString();
    return new Parsed(field(text, "event"), field(text, "data"));
  }

  /**
   * One event's fields.
   *
   * @param name its {@code event:} name, or null
   * @param data its data lines joined, or null
   */
  public record Parsed(String name, String data) {}

  /** Formats one {@code data:} event (data must not contain newlines). */
  public static Buffer dataEvent(String data) {
    return Buffer.buffer(data.length() + 8)
        .appendString("data: ")
        .appendString(data)
        .appendString("\n\n");
  }
}
