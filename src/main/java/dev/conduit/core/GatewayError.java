package dev.conduit.core;

/**
 * An error the gateway answers with, independent of the caller's wire format.
 *
 * <p>Each API renders it in its own shape (OpenAI {@code {"error":{...}}}, Anthropic {@code
 * {"type":"error",...}}). Messages must never contain secrets.
 *
 * @param status HTTP status
 * @param type OpenAI-style error type, e.g. {@code invalid_request_error}
 * @param code machine-readable code, e.g. {@code model_not_found}; may be null
 * @param message human-readable explanation
 * @param param the request field at fault; may be null
 */
public record GatewayError(int status, String type, String code, String message, String param) {

  public static GatewayError badRequest(String code, String message, String param) {
    return new GatewayError(400, "invalid_request_error", code, message, param);
  }

  public static GatewayError unauthorized(String code, String message) {
    return new GatewayError(401, "authentication_error", code, message, null);
  }

  public static GatewayError forbidden(String code, String message) {
    return new GatewayError(403, "permission_error", code, message, null);
  }

  public static GatewayError conflict(String code, String message) {
    return new GatewayError(409, "invalid_request_error", code, message, null);
  }

  public static GatewayError modelNotFound(String model) {
    return new GatewayError(
        404,
        "invalid_request_error",
        "model_not_found",
        "The model '" + model + "' does not exist or is not served by this gateway.",
        "model");
  }

  public static GatewayError notFound(String message) {
    return new GatewayError(404, "invalid_request_error", "not_found", message, null);
  }

  public static GatewayError payloadTooLarge(long limitBytes) {
    return new GatewayError(
        413,
        "invalid_request_error",
        "request_too_large",
        "Request body is larger than the limit of " + limitBytes + " bytes.",
        null);
  }

  public static GatewayError upstreamUnreachable(String provider, String detail) {
    return new GatewayError(
        502,
        "upstream_error",
        "upstream_unreachable",
        "Provider '" + provider + "' could not be reached: " + detail,
        null);
  }

  public static GatewayError upstreamInvalid(String provider, String detail) {
    return new GatewayError(
        502,
        "upstream_error",
        "upstream_invalid_response",
        "Provider '" + provider + "' sent an invalid response: " + detail,
        null);
  }

  public static GatewayError upstreamTimeout(String provider, String which, long limitMs) {
    return new GatewayError(
        504,
        "timeout_error",
        "upstream_timeout",
        "Provider '"
            + provider
            + "' did not answer in time ("
            + which
            + " timeout of "
            + limitMs
            + " ms).",
        null);
  }

  /** No deployment began to answer within the request's deadline ({@code routing.deadlineMs}). */
  public static GatewayError deadlineExceeded(long limitMs, int attempts) {
    return new GatewayError(
        504,
        "timeout_error",
        "upstream_timeout",
        "No deployment answered within the request's deadline of "
            + limitMs
            + " ms ("
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + ").",
        null);
  }

  public static GatewayError unavailable(String code, String message) {
    return new GatewayError(503, "service_unavailable", code, message, null);
  }

  public static GatewayError internal(String message) {
    return new GatewayError(500, "server_error", "internal_error", message, null);
  }

  /** Whether another deployment might succeed where this attempt failed. */
  public boolean isRetryable() {
    return status == 408
        || status == 429
        || status == 500
        || status == 502
        || status == 503
        || status == 504
        || status == 529;
  }
}
