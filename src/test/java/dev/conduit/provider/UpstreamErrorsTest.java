package dev.conduit.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.GatewayError;
import dev.conduit.provider.UpstreamError.Kind;
import dev.conduit.provider.anthropic.AnthropicErrorMapper;
import dev.conduit.provider.bedrock.BedrockErrorMapper;
import dev.conduit.provider.gemini.GeminiErrorMapper;
import dev.conduit.provider.openai.OpenAiErrorMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one classification of provider errors, and that every provider's mapper answers with it. The
 * mappers' full output per case is in the provider fixtures ({@code expected-error.json}).
 */
class UpstreamErrorsTest {
  private static final ApiKeyRing KEYS = new ApiKeyRing(List.of("sk-the-gateways-own-key-123"));

  @Test
  void classifiesEveryStatus() {
    assertThat(UpstreamErrors.classify(401)).isEqualTo(Kind.AUTH_REJECTED);
    assertThat(UpstreamErrors.classify(403)).isEqualTo(Kind.AUTH_REJECTED);
    assertThat(UpstreamErrors.classify(429)).isEqualTo(Kind.RATE_LIMITED);
    for (int status : new int[] {408, 500, 502, 503, 504, 529}) {
      assertThat(UpstreamErrors.classify(status)).as("HTTP %d", status).isEqualTo(Kind.RETRYABLE);
    }
    for (int status : new int[] {400, 402, 404, 409, 413, 422, 424, 499}) {
      assertThat(UpstreamErrors.classify(status))
          .as("HTTP %d", status)
          .isEqualTo(Kind.CLIENT_ERROR);
    }
    for (int status : new int[] {200, 302, 501, 505, 599}) {
      assertThat(UpstreamErrors.classify(status)).as("HTTP %d", status).isEqualTo(Kind.UNEXPECTED);
    }
  }

  @Test
  void aRetryableKindIsExactlyARetryableStatus() {
    for (int status = 100; status < 600; status++) {
      Kind kind = UpstreamErrors.classify(status);
      if (kind == Kind.AUTH_REJECTED) {
        continue; // answered as 502: retryable elsewhere, whatever the provider's status
      }
      GatewayError error = new GatewayError(status, "t", "c", "m", null);
      assertThat(kind.isRetryable()).as("HTTP %d", status).isEqualTo(error.isRetryable());
    }
    assertThat(Kind.AUTH_REJECTED.isRetryable()).isTrue();
  }

  @Test
  void onlyA401Or403RefusesTheKey() {
    assertThat(UpstreamErrors.refusesKey(401)).isTrue();
    assertThat(UpstreamErrors.refusesKey(403)).isTrue();
    assertThat(UpstreamErrors.refusesKey(400)).isFalse();
    assertThat(UpstreamErrors.refusesKey(429)).isFalse();
    assertThat(UpstreamErrors.refusesKey(500)).isFalse();
  }

  @Test
  void refusedCredentialsAreOneErrorThatNamesNeitherKeyNorCaller() {
    UpstreamError refused =
        UpstreamErrors.credentialsRejected("acme", 403, "AccessDeniedException", "no access");

    assertThat(refused.kind()).isEqualTo(Kind.AUTH_REJECTED);
    assertThat(refused.error())
        .isEqualTo(
            new GatewayError(
                502,
                "upstream_error",
                "upstream_auth_failed",
                "Provider 'acme' rejected the gateway's credentials "
                    + "(HTTP 403, AccessDeniedException): no access",
                null));
    assertThat(UpstreamErrors.authFailed("no token").code()).isEqualTo("upstream_auth_failed");
  }

  @Test
  void openAiShapedErrorsAreClassified() {
    String body = "{\"error\":{\"message\":\"bad key sk-the-gateways-own-key-123\"}}";
    assertThat(OpenAiErrorMapper.mapError("p", 401, Buffer.buffer(body), KEYS).kind())
        .isEqualTo(Kind.AUTH_REJECTED);
    assertThat(OpenAiErrorMapper.mapError("p", 401, Buffer.buffer(body), KEYS).error().message())
        .doesNotContain("sk-the-gateways-own-key-123");
    assertThat(OpenAiErrorMapper.mapError("p", 403, Buffer.buffer(body), KEYS).kind())
        .isEqualTo(Kind.AUTH_REJECTED);
    assertThat(OpenAiErrorMapper.mapError("p", 429, Buffer.buffer(body), KEYS).kind())
        .isEqualTo(Kind.RATE_LIMITED);
    assertThat(OpenAiErrorMapper.mapError("p", 503, Buffer.buffer(body), KEYS).kind())
        .isEqualTo(Kind.RETRYABLE);
    assertThat(OpenAiErrorMapper.mapError("p", 400, Buffer.buffer(body), KEYS).kind())
        .isEqualTo(Kind.CLIENT_ERROR);
    assertThat(OpenAiErrorMapper.mapError("p", 501, Buffer.buffer(body), KEYS).kind())
        .isEqualTo(Kind.UNEXPECTED);
  }

  @Test
  void anthropicErrorsAreClassified() {
    assertThat(anthropic(401, "authentication_error")).isEqualTo(Kind.AUTH_REJECTED);
    assertThat(anthropic(403, "permission_error")).isEqualTo(Kind.AUTH_REJECTED);
    assertThat(anthropic(429, "rate_limit_error")).isEqualTo(Kind.RATE_LIMITED);
    assertThat(anthropic(500, "api_error")).isEqualTo(Kind.RETRYABLE);
    assertThat(anthropic(529, "overloaded_error")).isEqualTo(Kind.RETRYABLE);
    assertThat(anthropic(400, "invalid_request_error")).isEqualTo(Kind.CLIENT_ERROR);
  }

  @Test
  void geminiErrorsAreClassifiedAndABadKeyIsRefusedCredentialsThoughGoogleSays400() {
    assertThat(gemini(401, "UNAUTHENTICATED", "")).isEqualTo(Kind.AUTH_REJECTED);
    assertThat(gemini(403, "PERMISSION_DENIED", "")).isEqualTo(Kind.AUTH_REJECTED);
    assertThat(gemini(400, "INVALID_ARGUMENT", ",\"details\":[{\"reason\":\"API_KEY_INVALID\"}]"))
        .isEqualTo(Kind.AUTH_REJECTED);
    assertThat(gemini(429, "RESOURCE_EXHAUSTED", "")).isEqualTo(Kind.RATE_LIMITED);
    assertThat(gemini(503, "UNAVAILABLE", "")).isEqualTo(Kind.RETRYABLE);
    assertThat(gemini(400, "INVALID_ARGUMENT", "")).isEqualTo(Kind.CLIENT_ERROR);
  }

  @Test
  void bedrockErrorsAreClassifiedByTheirAwsCode() {
    assertThat(bedrock(403, "AccessDeniedException")).isEqualTo(Kind.AUTH_REJECTED);
    assertThat(bedrock(400, "UnrecognizedClientException")).isEqualTo(Kind.AUTH_REJECTED);
    assertThat(bedrock(400, "ThrottlingException")).isEqualTo(Kind.RATE_LIMITED);
    assertThat(bedrock(503, "ServiceUnavailableException")).isEqualTo(Kind.RETRYABLE);
    assertThat(bedrock(424, "ModelErrorException")).isEqualTo(Kind.RETRYABLE);
    assertThat(bedrock(400, "ValidationException")).isEqualTo(Kind.CLIENT_ERROR);
  }

  private static Kind anthropic(int status, String type) {
    String body = "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"m\"}}";
    return AnthropicErrorMapper.mapError("p", status, Buffer.buffer(body), KEYS).kind();
  }

  private static Kind gemini(int status, String statusName, String details) {
    String body =
        "{\"error\":{\"code\":"
            + status
            + ",\"message\":\"m\",\"status\":\""
            + statusName
            + "\""
            + details
            + "}}";
    return GeminiErrorMapper.mapError("p", status, Buffer.buffer(body), KEYS).kind();
  }

  private static Kind bedrock(int status, String code) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-amzn-ErrorType", code);
    return BedrockErrorMapper.mapError(
            "p", status, headers, Buffer.buffer("{\"message\":\"m\"}"), KEYS)
        .kind();
  }
}
