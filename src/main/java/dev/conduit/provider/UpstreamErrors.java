package dev.conduit.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import io.vertx.core.buffer.Buffer;
import java.util.regex.Pattern;

/**
 * What every provider's error mapper shares: the one classification of an error answer ({@link
 * #classify}), the one error for refused credentials, and reading OpenAI-shaped error bodies.
 */
public final class UpstreamErrors {
  /** The code of the error the caller sees when a provider refuses the gateway's credentials. */
  private static final String AUTH_FAILED_CODE = "upstream_auth_failed";

  private static final int MAX_MESSAGE = 500;

  /** Provider-style secret keys, masked in any text passed through to callers. */
  private static final Pattern KEY_LIKE =
      Pattern.compile("\\b(sk|pk|rk|condt)[-_][A-Za-z0-9_*.-]{6,}");

  private UpstreamErrors() {}

  /**
   * Reads an OpenAI-shaped error body ({@code {"error":{"message","type","code","param"}}}). Client
   * errors (4xx) keep the provider's status and message; the provider rejecting the gateway's own
   * credentials (401/403) is the gateway's problem, not the caller's, and answers 502 so the
   * caller's SDK does not blame the caller's key.
   */
  public static UpstreamError fromOpenAiShape(
      String provider, int status, Buffer body, ApiKeyRing keys) {
    String message = null;
    String type = null;
    String code = null;
    String param = null;
    JsonNode root = UpstreamJson.readOrMissing(body);
    JsonNode error = root.path("error");
    if (!error.isObject() && !error.isTextual() && root.has("message")) {
      error = root; // vLLM and Mistral: {"object":"error","message":...,"type":...}
    }
    if (error.isObject()) {
      JsonNode text = error.get("message");
      message =
          text == null || text.isNull()
              ? null
              : text.isValueNode() ? text.asText() : text.toString();
      type = textOrNull(error.get("type"));
      code = error.hasNonNull("code") ? error.get("code").asText() : null;
      param = textOrNull(error.get("param"));
    } else if (error.isTextual()) {
      message = error.asText();
    } else if (root.path("detail").isTextual()) {
      message = root.path("detail").asText(); // Jina and Voyage: {"detail": "..."}
    }
    if (message == null) {
      message = "HTTP " + status + " " + snippet(body);
    }
    return toUpstreamError(
        provider,
        status,
        new ErrorReading(
            type != null ? type : "invalid_request_error",
            code,
            scrub(message, keys),
            param,
            false));
  }

  /**
   * What a provider's error answer says, as its mapper read it.
   *
   * @param type the provider's error type, which a client error keeps; null for {@code
   *     rate_limit_error} on 429 and {@code invalid_request_error} otherwise
   * @param code the provider's error code; may be null
   * @param message the provider's explanation, already scrubbed
   * @param param the request parameter at fault; may be null
   * @param codeInMessage whether the message of a provider failure or refused credentials names the
   *     code (AWS error names are the useful part of its errors)
   */
  public record ErrorReading(
      String type, String code, String message, String param, boolean codeInMessage) {}

  /**
   * The caller's error for a provider's error answer: client errors (4xx) keep the provider's
   * status and message, refused credentials are the gateway's problem ({@link
   * #credentialsRejected}), anything else is the provider's failure. The one place every mapper
   * turns what it read into an {@link UpstreamError}.
   *
   * @param status the HTTP status the answer stands for
   */
  public static UpstreamError toUpstreamError(String provider, int status, ErrorReading reading) {
    UpstreamError.Kind kind = classify(status);
    String named = reading.codeInMessage() ? reading.code() : null;
    if (kind == UpstreamError.Kind.AUTH_REJECTED) {
      return credentialsRejected(provider, status, named, reading.message());
    }
    if (status >= 400 && status < 500) {
      String type = reading.type();
      if (type == null) {
        type = status == 429 ? "rate_limit_error" : "invalid_request_error";
      }
      return new UpstreamError(
          kind, new GatewayError(status, type, reading.code(), reading.message(), reading.param()));
    }
    return new UpstreamError(
        kind,
        new GatewayError(
            status,
            "upstream_error",
            reading.code() != null ? reading.code() : "upstream_error",
            "Provider '"
                + provider
                + "' failed (HTTP "
                + status
                + (named == null ? "" : ", " + named)
                + "): "
                + reading.message(),
            null));
  }

  /**
   * A failure reported inside a stream that had already begun: said to be one, whatever its status.
   */
  public static GatewayError midStream(String provider, int status, String code, String message) {
    String type =
        status >= 500
            ? "upstream_error"
            : status == 429 ? "rate_limit_error" : "invalid_request_error";
    return new GatewayError(
        status,
        type,
        code != null ? code : "upstream_stream_error",
        "Provider '" + provider + "' reported an error mid-stream: " + message,
        null);
  }

  /**
   * What an error answer means for the gateway, from the HTTP status it stands for (as the provider
   * sent it, or as its own error code says: see the Bedrock mapper). Every provider's mapper
   * classifies with this; the retryable kinds are exactly the statuses {@link
   * GatewayError#isRetryable()} retries.
   */
  public static UpstreamError.Kind classify(int status) {
    return switch (status) {
      case 401, 403 -> UpstreamError.Kind.AUTH_REJECTED;
      case 429 -> UpstreamError.Kind.RATE_LIMITED;
      case 408, 500, 502, 503, 504, 529 -> UpstreamError.Kind.RETRYABLE;
      default ->
          status >= 400 && status < 500
              ? UpstreamError.Kind.CLIENT_ERROR
              : UpstreamError.Kind.UNEXPECTED;
    };
  }

  /**
   * Whether an HTTP status says the provider refused the API key the call carried (401/403); the
   * key then leaves rotation ({@link ApiKeyRing#refused}). The same rule for live calls and health
   * checks.
   */
  public static boolean refusesKey(int status) {
    return classify(status) == UpstreamError.Kind.AUTH_REJECTED;
  }

  /**
   * The provider refused the gateway's credentials: the gateway's problem, not the caller's, so the
   * caller sees 502 (and its SDK does not blame the caller's key).
   *
   * @param status the HTTP status the provider answered
   * @param code the provider's error code, named in the message; may be null
   * @param message the provider's explanation, already scrubbed
   */
  public static UpstreamError credentialsRejected(
      String provider, int status, String code, String message) {
    return new UpstreamError(
        UpstreamError.Kind.AUTH_REJECTED,
        authFailed(
            "Provider '"
                + provider
                + "' rejected the gateway's credentials (HTTP "
                + status
                + (code == null ? "" : ", " + code)
                + "): "
                + message));
  }

  /** The error for credentials the gateway could not use (refused, or no token to be had). */
  public static GatewayError authFailed(String message) {
    return new GatewayError(502, "upstream_error", AUTH_FAILED_CODE, message, null);
  }

  /** A short, single-line, tag-free excerpt of a non-JSON body such as an HTML error page. */
  public static String snippet(Buffer body) {
    if (body == null || body.length() == 0) {
      return "(empty body)";
    }
    String text = body.getString(0, Math.min(body.length(), 4 * MAX_MESSAGE));
    text = text.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text;
  }

  /** Masks anything that looks like a secret key, and the provider's own keys. */
  public static String scrub(String text, ApiKeyRing keys) {
    String redacted = keys == null ? text : keys.redact(text);
    return KEY_LIKE.matcher(redacted).replaceAll("$1-***");
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
