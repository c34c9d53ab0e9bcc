package dev.conduit.provider.aws;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One message of an AWS event stream: its headers (in order, values typed as the frame says:
 * Boolean, Byte, Short, Integer, Long, byte[], String, java.time.Instant or java.util.UUID) and its
 * payload.
 *
 * @param headers header name to value
 * @param payload the payload bytes (JSON for Bedrock events)
 */
public record EventStreamMessage(Map<String, Object> headers, byte[] payload) {

  /** A header's value as text, or null when absent. */
  public String header(String name) {
    Object value = headers.get(name);
    if (value == null) {
      return null;
    }
    return value instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : value.toString();
  }

  /** {@code :message-type}: {@code event}, {@code exception} or {@code error}. */
  public String messageType() {
    return header(":message-type");
  }

  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }
}
