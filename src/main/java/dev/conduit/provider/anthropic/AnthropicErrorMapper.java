package dev.conduit.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.GatewayError;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Anthropic errors ({@code {"type":"error","error":{"type","message"}}},
 * https://docs.anthropic.com/en/api/errors) to the caller's. Client errors keep their status and
 * message; the provider refusing the gateway's own key is the gateway's problem (502); 429, 5xx and
 * 529 {@code overloaded_error} stay retryable on another deployment.
 */
public final class AnthropicErrorMapper {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnthropicErrorMapper() {}

  public static UpstreamError mapError(String provider, int status, Buffer body, ApiKeyRing keys) {
    JsonNode error = parse(body).path("error");
    String type = error.path("type").asText(null);
    String message = error.path("message").asText(null);
    if (message == null) {
      message = "HTTP " + status + " " + UpstreamErrors.snippet(body);
    }
    return toUpstreamError(provider, status, type, UpstreamErrors.scrub(message, keys));
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

  private static UpstreamError toUpstreamError(
      String provider, int status, String type, String message) {
    UpstreamError.Kind kind = UpstreamErrors.classify(status);
    if (kind == UpstreamError.Kind.AUTH_REJECTED) {
      return UpstreamErrors.credentialsRejected(provider, status, null, message);
    }
    if (status >= 400 && status < 500) {
      return new UpstreamError(
          kind,
          new GatewayError(
              status, type != null ? type : "invalid_request_error", type, message, null));
    }
    return new UpstreamError(
        kind,
        new GatewayError(
            status,
            "upstream_error",
            type != null ? type : "upstream_error",
            "Provider '" + provider + "' failed (HTTP " + status + "): " + message,
            null));
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
}
