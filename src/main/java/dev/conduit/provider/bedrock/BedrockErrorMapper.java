package dev.conduit.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.GatewayError;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Locale;

/**
 * Bedrock errors to the caller's. AWS names the error in the {@code x-amzn-ErrorType} header (or
 * the body's {@code __type}) and explains it in {@code message}
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html). Client errors keep
 * their status; AWS refusing the gateway's own credentials is the gateway's problem (502);
 * throttling, quota, timeout, model and server errors stay retryable on another deployment.
 */
public final class BedrockErrorMapper {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BedrockErrorMapper() {}

  public static UpstreamError mapError(
      String provider, int status, MultiMap headers, Buffer body, ApiKeyRing keys) {
    JsonNode root = parse(body);
    String code = headers == null ? null : headers.get("x-amzn-ErrorType");
    if (code == null) {
      code = root.path("__type").asText(null);
    }
    code = code == null ? null : simpleName(code);
    String message = root.path("message").asText(null);
    if (message == null) {
      message = root.path("Message").asText(null);
    }
    if (message == null) {
      message = "HTTP " + status + " " + UpstreamErrors.snippet(body);
    }
    return toUpstreamError(
        provider, statusFor(code, status), code, UpstreamErrors.scrub(message, keys));
  }

  /**
   * An exception message inside a 200 event stream ({@code :message-type: exception}); its type
   * ({@code throttlingException}, ...) decides the status.
   */
  public static GatewayError streamException(
      String provider, String exceptionType, String payload, ApiKeyRing keys) {
    JsonNode root = parse(Buffer.buffer(payload));
    String message = root.path("message").asText(null);
    if (message == null) {
      message = root.path("originalMessage").asText("stream error");
    }
    String code = exceptionType == null ? "StreamException" : capitalise(exceptionType);
    return midStream(provider, statusFor(code, 502), code, UpstreamErrors.scrub(message, keys));
  }

  /** An unmodelled error message ({@code :message-type: error}) inside an event stream. */
  public static GatewayError streamError(
      String provider, String errorCode, String message, ApiKeyRing keys) {
    return midStream(
        provider,
        502,
        errorCode,
        UpstreamErrors.scrub(message == null ? "stream error" : message, keys));
  }

  /** A failure after the stream began: said to be one, whatever its status. */
  private static GatewayError midStream(String provider, int status, String code, String message) {
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

  /** {@code status} is the one the AWS error code stands for ({@link #statusFor}). */
  private static UpstreamError toUpstreamError(
      String provider, int status, String code, String message) {
    UpstreamError.Kind kind = UpstreamErrors.classify(status);
    return switch (kind) {
      case AUTH_REJECTED -> UpstreamErrors.credentialsRejected(provider, status, code, message);
      case RATE_LIMITED ->
          new UpstreamError(kind, new GatewayError(429, "rate_limit_error", code, message, null));
      default ->
          new UpstreamError(
              kind,
              status >= 400 && status < 500
                  ? new GatewayError(status, "invalid_request_error", code, message, null)
                  : new GatewayError(
                      status,
                      "upstream_error",
                      code != null ? code : "upstream_error",
                      "Provider '"
                          + provider
                          + "' failed (HTTP "
                          + status
                          + (code == null ? "" : ", " + code)
                          + "): "
                          + message,
                      null));
    };
  }

  /** The status the caller sees for an AWS error code, else the HTTP status it came with. */
  static int statusFor(String code, int status) {
    if (code == null) {
      return status;
    }
    return switch (code) {
      case "ValidationException" -> 400;
      case "AccessDeniedException",
          "UnrecognizedClientException",
          "InvalidSignatureException",
          "ExpiredTokenException" ->
          403;
      case "ResourceNotFoundException" -> 404;
      case "ModelTimeoutException" -> 408;
      case "ThrottlingException", "ModelNotReadyException", "ServiceQuotaExceededException" -> 429;
      // The model itself failed (Bedrock says 424): the provider's failure, not the caller's.
      case "ModelErrorException", "ModelStreamErrorException" -> 502;
      case "InternalServerException" -> 500;
      case "ServiceUnavailableException" -> 503;
      default -> status;
    };
  }

  /** {@code ValidationException:http://...} or {@code com.amazon...#ValidationException}. */
  private static String simpleName(String code) {
    int colon = code.indexOf(':');
    if (colon >= 0) {
      code = code.substring(0, colon);
    }
    int hash = code.lastIndexOf('#');
    return hash >= 0 ? code.substring(hash + 1) : code;
  }

  /** Stream exception types are camel case ({@code throttlingException}). */
  private static String capitalise(String type) {
    return type.isEmpty()
        ? type
        : type.substring(0, 1).toUpperCase(Locale.ROOT) + type.substring(1);
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
