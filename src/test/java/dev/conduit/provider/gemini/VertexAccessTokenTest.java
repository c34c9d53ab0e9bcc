package dev.conduit.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.config.ProviderConfig;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Message;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.ProviderServices;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamTarget;
import dev.conduit.route.Deployment;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockTokenEndpoint;
import dev.conduit.testing.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vertex AI's service-account flow against a mock token endpoint that verifies each JWT with the
 * test key's public half: the token reaches the request, is cached until shortly before it expires,
 * one fetch serves concurrent requests on several event loops, failures are reported without
 * secrets and not cached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VertexAccessTokenTest {
  private static final ChatRequest HELLO =
      ChatRequest.builder().messages(List.of(Message.user("Hello"))).build();

  @TempDir Path dir;
  private MockTokenEndpoint endpoint;
  private Vertx vertx;
  private MutableClock clock;
  private Path keyFile;

  @BeforeAll
  void startEndpoint() throws Exception {
    endpoint = new MockTokenEndpoint(); // one RSA key for the class: generating one takes a while
  }

  @BeforeEach
  void start() throws Exception {
    endpoint.reset();
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
    clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    keyFile = dir.resolve("key.json");
    Files.writeString(keyFile, endpoint.serviceAccountJson());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void stopEndpoint() throws Exception {
    endpoint.close();
  }

  @Test
  void theTokenIsSentAsBearerToTheRegionalVertexUrl() throws Exception {
    UpstreamTarget deployment =
        deployment(vertexConfig("us-central1", keyFile.toString()), Map.of());

    UpstreamRequest request = onEventLoop(deployment, HELLO);
    UpstreamRequest stream = onEventLoop(deployment, HELLO.toBuilder().stream(true).build());

    assertThat(request.url())
        .isEqualTo(
            "https://us-central1-aiplatform.googleapis.com/v1/"
                + "projects/test-project/locations/us-central1/publishers/google/models/"
                + "gemini-2.5-flash:generateContent");
    assertThat(stream.url()).endsWith("/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assertThat(request.headers().get("Authorization")).isEqualTo("Bearer token-1");
    assertThat(request.headers().get("x-goog-api-key")).isNull();
    assertThat(stream.headers().get("Authorization")).isEqualTo("Bearer token-1");
    assertThat(endpoint.issued()).isEqualTo(1);
    assertThat(endpoint.problems()).isEmpty();
    assertThat(endpoint.claims().get(0).path("iat").asLong())
        .isEqualTo(clock.instant().getEpochSecond());
  }

  @Test
  void theGlobalRegionUsesTheGlobalHost() throws Exception {
    UpstreamTarget deployment = deployment(vertexConfig("global", keyFile.toString()), Map.of());

    assertThat(onEventLoop(deployment, HELLO).url())
        .isEqualTo(
            "https://aiplatform.googleapis.com/v1/projects/test-project/locations/global/"
                + "publishers/google/models/gemini-2.5-flash:generateContent");
  }

  @Test
  void aTokenIsKeptUntilShortlyBeforeItExpires() throws Exception {
    UpstreamTarget deployment =
        deployment(vertexConfig("us-central1", keyFile.toString()), Map.of());
    assertThat(onEventLoop(deployment, HELLO).headers().get("Authorization"))
        .isEqualTo("Bearer token-1");

    clock.advance(Duration.ofMinutes(54)); // 3599 s tokens are renewed 5 minutes early
    assertThat(onEventLoop(deployment, HELLO).headers().get("Authorization"))
        .isEqualTo("Bearer token-1");
    clock.advance(Duration.ofSeconds(60));
    assertThat(onEventLoop(deployment, HELLO).headers().get("Authorization"))
        .isEqualTo("Bearer token-2");
    assertThat(endpoint.issued()).isEqualTo(2);
  }

  @Test
  void concurrentRequestsOnSeveralEventLoopsShareOneFetch() throws Exception {
    UpstreamTarget deployment =
        deployment(vertexConfig("us-central1", keyFile.toString()), Map.of());
    endpoint.hold();
    List<CompletableFuture<Boolean>> answers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Context context = vertx.getOrCreateContext(); // a new context: round-robin event loops
      CompletableFuture<Boolean> answer = new CompletableFuture<>();
      context.runOnContext(
          v ->
              deployment
                  .provider()
                  .adapter()
                  .toUpstream(HELLO, deployment)
                  .onComplete(
                      built ->
                          answer.complete(
                              built.succeeded()
                                  && Vertx.currentContext() == context
                                  && "Bearer token-1"
                                      .equals(built.result().headers().get("Authorization")))));
      answers.add(answer);
    }
    Eventually.await("the token request", () -> endpoint.claims().size(), n -> n >= 1);
    assertThat(answers).noneMatch(CompletableFuture::isDone);

    endpoint.release();

    for (CompletableFuture<Boolean> answer : answers) {
      assertThat(answer.get(10, TimeUnit.SECONDS)).as("token, on the caller's event loop").isTrue();
    }
    assertThat(endpoint.claims()).hasSize(1);
    assertThat(endpoint.issued()).isEqualTo(1);
  }

  @Test
  void aRefusedGrantFailsTheRequestWithoutSecretsAndIsNotCached() throws Exception {
    UpstreamTarget deployment =
        deployment(vertexConfig("us-central1", keyFile.toString()), Map.of());
    endpoint.failWith("invalid_grant");

    assertThatThrownBy(() -> onEventLoop(deployment, HELLO))
        .hasCauseInstanceOf(GatewayException.class)
        .cause()
        .satisfies(
            cause -> {
              GatewayException failure = (GatewayException) cause;
              assertThat(failure.error().status()).isEqualTo(502);
              assertThat(failure.error().code()).isEqualTo("upstream_auth_failed");
              assertThat(failure.error().message())
                  .contains(
                      "HTTP 400",
                      "invalid_grant",
                      "Invalid JWT Signature",
                      MockTokenEndpoint.CLIENT_EMAIL)
                  .doesNotContain("PRIVATE KEY");
            });

    endpoint.failWith(null);
    assertThat(onEventLoop(deployment, HELLO).headers().get("Authorization"))
        .isEqualTo("Bearer token-1");
  }

  @Test
  void theKeyFileMayComeFromGoogleApplicationCredentials() throws Exception {
    Path pkcs1 = dir.resolve("pkcs1.json");
    Files.writeString(pkcs1, endpoint.serviceAccountJsonPkcs1());
    UpstreamTarget deployment =
        deployment(
            vertexConfig("europe-west4", null),
            Map.of("GOOGLE_APPLICATION_CREDENTIALS", pkcs1.toString()));

    assertThat(deployment.provider().isAvailable()).isTrue();
    assertThat(onEventLoop(deployment, HELLO).headers().get("Authorization"))
        .isEqualTo("Bearer token-1");
    assertThat(endpoint.problems()).isEmpty();
  }

  @Test
  void withoutAKeyFileTheProviderIsUnavailable() {
    Provider provider = deployment(vertexConfig("us-central1", null), Map.of()).provider();

    assertThat(provider.isAvailable()).isFalse();
    assertThat(provider.unavailableReason())
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .contains("serviceAccountFile", "GOOGLE_APPLICATION_CREDENTIALS"));
  }

  @Test
  void aFileThatIsNotAServiceAccountKeyLeavesTheProviderUnavailable() throws Exception {
    Path notAKey = dir.resolve("user.json");
    Files.writeString(notAKey, "{\"type\":\"authorized_user\",\"client_secret\":\"s3cr3t\"}");

    Provider provider =
        deployment(vertexConfig("us-central1", notAKey.toString()), Map.of()).provider();

    assertThat(provider.isAvailable()).isFalse();
    assertThat(provider.unavailableReason().orElseThrow())
        .contains(notAKey.toString())
        .contains("expected 'service_account'")
        .doesNotContain("s3cr3t");
    assertThat(
            deployment(
                    vertexConfig("us-central1", dir.resolve("missing.json").toString()), Map.of())
                .provider()
                .unavailableReason()
                .orElseThrow())
        .contains("cannot be read");
  }

  @Test
  void vertexNeedsARegionAndTakesNoApiKey() {
    assertThat(
            deployment(vertexConfig(null, keyFile.toString()), Map.of())
                .provider()
                .unavailableReason()
                .orElseThrow())
        .contains("needs region");
    ProviderConfig both =
        new ProviderConfig(
            "vertex",
            "googlecloud",
            null,
            "AIzaKey123456",
            List.of(),
            null,
            null,
            "us-central1",
            null,
            null,
            Map.of("project", "test-project", "serviceAccountFile", keyFile.toString()));
    assertThat(deployment(both, Map.of()).provider().unavailableReason().orElseThrow())
        .contains("not both");
  }

  private static ProviderConfig vertexConfig(String region, String keyFile) {
    return new ProviderConfig(
        "vertex",
        "googlecloud",
        null,
        null,
        List.of(),
        null,
        null,
        region,
        null,
        null,
        keyFile == null
            ? Map.of("project", "test-project")
            : Map.of("project", "test-project", "serviceAccountFile", keyFile));
  }

  private UpstreamTarget deployment(ProviderConfig config, Map<String, String> env) {
    UpstreamClient client = new UpstreamClient(vertx, 2, List.of(), (p, n, s) -> {});
    Provider provider =
        ProviderRegistry.build(List.of(config), new ProviderServices(vertx, clock, env, client))
            .find(config.name())
            .orElseThrow();
    return Deployment.of(provider, "gemini-2.5-flash", null).target();
  }

  /** Builds the request on an event loop, as the pipeline does. */
  private UpstreamRequest onEventLoop(UpstreamTarget deployment, ChatRequest request)
      throws Exception {
    CompletableFuture<UpstreamRequest> result = new CompletableFuture<>();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              Future<UpstreamRequest> built =
                  deployment.provider().adapter().toUpstream(request, deployment);
              built.onComplete(
                  done -> {
                    if (done.succeeded()) {
                      result.complete(done.result());
                    } else {
                      result.completeExceptionally(done.cause());
                    }
                  });
            });
    return result.get(10, TimeUnit.SECONDS);
  }
}
