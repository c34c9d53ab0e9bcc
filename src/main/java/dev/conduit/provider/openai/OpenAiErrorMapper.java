package dev.conduit.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.provider.ApiKeyRing;
import dev.conduit.provider.UpstreamErrors;
import io.vertx.core.buffer.Buffer;

/** OpenAI-shaped errors ({@code {"error":{"message","type","param","code"}}}) to the caller's. */
public final class OpenAiErrorMapper {
  private OpenAiErrorMapper() {}

  /** A non-2xx response. */
  public static GatewayError mapError(String provider, int status, Buffer body, ApiKeyRing keys) {
    return UpstreamErrors.fromOpenAiShape(provider, status, body, keys);
  }

  /**
   * An error event inside a 200 stream. The HTTP status was 200, so the provider's own status (if
   * it gave one) is unknown: it is reported as 502, an upstream failure.
   */
  public static GatewayError streamError(String provider, JsonNode payload, ApiKeyRing keys) {
    GatewayError mapped = UpstreamErrors.fromOpenAiShape(provider, 500,
        Buffer.buffer(payload.toString()), keys);
    return new GatewayError(502, mapped.type(), mapped.code(), mapped.message(), mapped.param());
  }
}
