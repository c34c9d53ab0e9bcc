package dev.conduit.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamErrors.ErrorReading;
import dev.conduit.provider.UpstreamJson;
import io.vertx.core.buffer.Buffer;

/**
 * Google API errors ({@code {"error":{"code","message","status"}}},
 * https://ai.google.dev/gemini-api/docs/troubleshooting) to the caller's. Client errors keep their
 * status and message; Google refusing the gateway's own key or token is the gateway's problem
 * (502); 429 {@code RESOURCE_EXHAUSTED} and 5xx stay retryable on another deployment.
 */
public final class GeminiErrorMapper {
  private GeminiErrorMapper() {}

  public static UpstreamError mapError(String provider, int status, Buffer body, ApiKeyRing keys) {
    JsonNode root = UpstreamJson.readOrMissing(body);
    if (root.isArray()) {
      root = root.path(0); // the non-SSE stream endpoint wraps its answers in an array
    }
    JsonNode error = root.path("error");
    String message = error.path("message").asText(null);
    if (message == null) {
      message = "HTTP " + status + " " + UpstreamErrors.snippet(body);
    }
    message = UpstreamErrors.scrub(message, keys);
    if (status == 400 && rejectsTheKey(error)) {
      // Gemini answers a bad API key with 400; the key at fault is the gateway's.
      return UpstreamErrors.credentialsRejected(provider, status, null, message);
    }
    return UpstreamErrors.toUpstreamError(
        provider,
        status,
        new ErrorReading(null, error.path("status").asText(null), message, null, false));
  }

  /** Whether an error's details say the API key is invalid or expired. */
  private static boolean rejectsTheKey(JsonNode error) {
    for (JsonNode detail : error.path("details")) {
      String reason = detail.path("reason").asText("");
      if (reason.equals("API_KEY_INVALID") || reason.equals("API_KEY_EXPIRED")) {
        return true;
      }
    }
    return false;
  }

  /** An {@code {"error":{...}}} event inside a 200 stream; its own code gives the status. */
  public static GatewayError streamError(String provider, JsonNode event, ApiKeyRing keys) {
    JsonNode error = event.path("error");
    String statusName = error.path("status").asText(null);
    int status = error.path("code").isInt() ? error.path("code").asInt() : statusOf(statusName);
    String message = UpstreamErrors.scrub(error.path("message").asText("stream error"), keys);
    return UpstreamErrors.midStream(provider, status, statusName, message);
  }

  /** The HTTP status Google pairs with each canonical error status. */
  static int statusOf(String statusName) {
    if (statusName == null) {
      return 500;
    }
    return switch (statusName) {
      case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
      case "UNAUTHENTICATED" -> 401;
      case "PERMISSION_DENIED" -> 403;
      case "NOT_FOUND" -> 404;
      case "RESOURCE_EXHAUSTED" -> 429;
      case "CANCELLED" -> 499;
      case "UNAVAILABLE" -> 503;
      case "DEADLINE_EXCEEDED" -> 504;
      default -> 500; // INTERNAL, UNKNOWN, and anything new
    };
  }
}
