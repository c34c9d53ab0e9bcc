package dev.conduit.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.GatewayError;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * What every provider's error mapper shares: the one classification of an error answer ({@link
 * #classify}), the one error for refused credentials, and reading OpenAI-shaped error bodies.
 */
public final class UpstreamErrors {
  /** The code of the error the caller sees when a provider refuses the gateway's credentials. */
  private static final String AUTH_FAILED_CODE = "upstream_auth_failed";

  private static final ObjectMapper JSON = new ObjectMapper();
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
    JsonNode root = parse(body);
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
    }
    if (message == null) {
      message = "HTTP " + status + " " + snippet(body);
    }
    message = scrub(message, keys);
    UpstreamError.Kind kind = classify(status);
    if (kind == UpstreamError.Kind.AUTH_REJECTED) {
      return credentialsRejected(provider, status, null, message);
    }
    if (status >= 400 && status < 500) {
      return new UpstreamError(
          kind,
          new GatewayError(
              status, type != null ? type : "invalid_request_error", code, message, param));
    }
    return new UpstreamError(
        kind,
        new GatewayError(
            status,
            "upstream_error",
            code != null ? code : "upstream_error",
            "Provider '" + provider + "' failed (HTTP " + status + "): " + message,
            null));
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

  private static JsonNode parse(Buffer body) {
    if (body == null || body.length() == 0) {
      return JSON.missingNode();
    }
    try {
      JsonNode node = JSON.readTree(body.getBytes());
      return node == null ? JSON.missingNode() : node;
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
