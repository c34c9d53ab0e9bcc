package dev.conduit.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamErrors;
import io.vertx.core.buffer.Buffer;

/** OpenAI-shaped errors ({@code {"error":{"message","type","param","code"}}}) to the caller's. */
public final class OpenAiErrorMapper {
  private OpenAiErrorMapper() {}

  /** A non-2xx response. */
  public static UpstreamError mapError(String provider, int status, Buffer body, ApiKeyRing keys) {
    return UpstreamErrors.fromOpenAiShape(provider, status, body, keys);
  }

  /**
   * An error event inside a 200 stream ({@code data: {"error":{...}}}). The HTTP status was 200, so
   * the failure is reported as 502, an upstream failure, keeping the provider's code.
   */
  public static GatewayError streamError(String provider, JsonNode payload, ApiKeyRing keys) {
    JsonNode error = payload.path("error");
    String message = error.isObject() ? error.path("message").asText("") : error.asText("");
    JsonNode code = error.path("code");
    return new GatewayError(
        502,
        "upstream_error",
        code.isValueNode() && !code.isNull() ? code.asText() : "upstream_stream_error",
        "Provider '"
            + provider
            + "' reported an error mid-stream: "
            + UpstreamErrors.scrub(message, keys),
        null);
  }
}
