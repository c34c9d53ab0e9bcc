package dev.conduit.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamErrors.ErrorReading;
import dev.conduit.provider.UpstreamJson;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/**
 * Bedrock errors to the caller's. AWS names the error in the {@code x-amzn-ErrorType} header (or
 * the body's {@code __type}) and explains it in {@code message}
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html). Client errors keep
 * their status; AWS refusing the gateway's own credentials is the gateway's problem (502);
 * throttling, quota, timeout, model and server errors stay retryable on another deployment.
 */
public final class BedrockErrorMapper {
  private BedrockErrorMapper() {}

  public static UpstreamError mapError(
      String provider, int status, MultiMap headers, Buffer body, ApiKeyRing keys) {
    JsonNode root = UpstreamJson.readOrMissing(body);
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
    return UpstreamErrors.toUpstreamError(
        provider,
        statusFor(code, status),
        new ErrorReading(null, code, UpstreamErrors.scrub(message, keys), null, true));
  }

  /**
   * An exception message inside a 200 event stream ({@code :message-type: exception}); its type
   * ({@code throttlingException}, ...) decides the status.
   */
  public static GatewayError streamException(
      String provider, String exceptionType, String payload, ApiKeyRing keys) {
    JsonNode root = UpstreamJson.readOrMissing(Buffer.buffer(payload));
    String message = root.path("message").asText(null);
    if (message == null) {
      message = root.path("originalMessage").asText("stream error");
    }
    String code = exceptionType == null ? "StreamException" : capitalise(exceptionType);
    return UpstreamErrors.midStream(
        provider, statusFor(code, 502), code, UpstreamErrors.scrub(message, keys));
  }

  /** An unmodelled error message ({@code :message-type: error}) inside an event stream. */
  public static GatewayError streamError(
      String provider, String errorCode, String message, ApiKeyRing keys) {
    return UpstreamErrors.midStream(
        provider,
        502,
        errorCode,
        UpstreamErrors.scrub(message == null ? "stream error" : message, keys));
  }

  /** {@code status} is the one the AWS error code stands for ({@link #statusFor}). */
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
}
