package dev.conduit.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamErrors.ErrorReading;
import dev.conduit.provider.UpstreamJson;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic errors ({@code {"type":"error","error":{"type","message"}}},
 * https://docs.anthropic.com/en/api/errors) to the caller's. Client errors keep their status and
 * message; the provider refusing the gateway's own key is the gateway's problem (502); 429, 5xx and
 * 529 {@code overloaded_error} stay retryable on another deployment.
 */
public final class AnthropicErrorMapper {
  private AnthropicErrorMapper() {}

  public static UpstreamError mapError(String provider, int status, Buffer body, ApiKeyRing keys) {
    JsonNode error = UpstreamJson.readOrMissing(body).path("error");
    String type = error.path("type").asText(null);
    String message = error.path("message").asText(null);
    if (message == null) {
      message = "HTTP " + status + " " + UpstreamErrors.snippet(body);
    }
    return UpstreamErrors.toUpstreamError(
        provider,
        status,
        new ErrorReading(
            type != null ? type : "invalid_request_error",
            type,
            UpstreamErrors.scrub(message, keys),
            null,
            false));
  }

  /**
   * An {@code error} event inside a 200 stream. Its status comes from its type, as Anthropic's
   * errors page pairs them.
   */
  public static GatewayError streamError(String provider, JsonNode payload, ApiKeyRing keys) {
    JsonNode error = payload.path("error");
    String type = error.path("type").asText("api_error");
    String message = UpstreamErrors.scrub(error.path("message").asText("stream error"), keys);
    int status = statusOf(type);
    return new GatewayError(
        status,
        status < 500 ? type : "upstream_error",
        type,
        "Provider '" + provider + "' reported an error mid-stream: " + message,
        null);
  }

  /** Anthropic's documented status for each error type. */
  static int statusOf(String type) {
    return switch (type) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "timeout_error" -> 504;
      case "overloaded_error" -> 529;
      default -> 500; // api_error and anything new
    };
  }
}
