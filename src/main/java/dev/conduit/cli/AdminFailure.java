package dev.conduit.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Why an admin command stopped, with the exit code scripts test: {@link #API_ERROR} for an answer
 * of 4xx or 5xx, {@link #USAGE} for a command that cannot be run as given (picocli's own code for
 * bad arguments), {@link #CANNOT_CONNECT} when the admin API did not answer. The message is printed
 * to stderr as is; it never holds the master key.
 */
final class AdminFailure extends RuntimeException {
  static final int API_ERROR = 1;
  static final int USAGE = 2;
  static final int CANNOT_CONNECT = 3;

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private AdminFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  static AdminFailure usage(String message) {
    return new AdminFailure(USAGE, message, null);
  }

  static AdminFailure cannotConnect(String message, Throwable cause) {
    return new AdminFailure(CANNOT_CONNECT, message, cause);
  }

  /**
   * An error answer: the OpenAI-shaped body's message, code and param when it has them, else the
   * start of the body.
   */
  static AdminFailure api(String method, String path, int status, JsonNode error, String body) {
    StringBuilder text = new StringBuilder().append("HTTP ").append(status);
    JsonNode detail = error == null ? null : error.path("error");
    if (detail != null && detail.isObject() && detail.hasNonNull("message")) {
      String code = detail.path("code").asText(null);
      if (code != null) {
        text.append(" (").append(code).append(')');
      }
      text.append(": ").append(detail.get("message").asText());
      String param = detail.path("param").asText(null);
      if (param != null) {
        text.append(" [param: ").append(param).append(']');
      }
    } else {
      String start = body == null ? "" : body.strip();
      text.append(" from ").append(method).append(' ').append(path);
      if (!start.isEmpty()) {
        text.append(": ").append(start.length() > 300 ? start.substring(0, 300) + "..." : start);
      }
    }
    return new AdminFailure(API_ERROR, text.toString(), null);
  }
}
