package dev.conduit.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.config.TimeoutsConfig;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.provider.ProviderServices;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamOptions;
import dev.conduit.provider.UpstreamRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * OAuth2 access tokens for a service account, by the JWT bearer grant
 * (https://developers.google.com/identity/protocols/oauth2/service-account#httprest): an RS256-
 * signed assertion ({@code iss} the account, {@code scope} cloud-platform, {@code aud} the token
 * URI, one hour long) is exchanged at the key's {@code token_uri} for a bearer token.
 *
 * <p>A token is kept until {@value #MARGIN_MINUTES} minutes before it expires (half its life for
 * short-lived ones). Fetching is asynchronous: the signature is made off the event loop, the token
 * request goes out through the gateway's {@link dev.conduit.provider.UpstreamClient}, and requests
 * that need a token while one is being fetched all wait for that one fetch. Each waiter is answered
 * on its own event loop. Thread-safe: one instance serves every event loop.
 */
public final class AccessTokenSource {
  static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  static final long ASSERTION_SECONDS = 3600;
  static final long MARGIN_MINUTES = 5;
  private static final TimeoutsConfig TOKEN_TIMEOUTS =
      new TimeoutsConfig(10_000L, 30_000L, 30_000L, 30_000L);
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final String provider;
  private final ServiceAccountKey key;
  private final ProviderServices services;
  private volatile Token cached;

  /** The fetch in progress, shared by every request that needs a token meanwhile. */
  private CompletableFuture<Token> inFlight;

  public AccessTokenSource(String provider, ServiceAccountKey key, ProviderServices services) {
    this.provider = provider;
    this.key = key;
    this.services = services;
  }

  /** A valid access token: the cached one, or a fresh one; answered on the caller's context. */
  public Future<String> token() {
    Token current = cached;
    Instant now = services.clock().instant();
    if (current != null && now.isBefore(current.refreshAt())) {
      return Future.succeededFuture(current.value());
    }
    if (!services.canCallOut()) {
      return Future.failedFuture(failure("the gateway has no HTTP client for token requests"));
    }
    Context context = services.vertx().getOrCreateContext();
    CompletableFuture<Token> fetch;
    boolean starter = false;
    synchronized (this) {
      current = cached; // a fetch may have finished meanwhile
      if (current != null && now.isBefore(current.refreshAt())) {
        return Future.succeededFuture(current.value());
      }
      if (inFlight == null) {
        inFlight = new CompletableFuture<>();
        starter = true;
      }
      fetch = inFlight;
    }
    if (starter) {
      fetch(fetch);
    }
    Promise<String> answer = Promise.promise();
    fetch.whenComplete(
        (token, error) ->
            context.runOnContext(
                v -> {
                  if (error != null) {
                    answer.fail(error);
                  } else {
                    answer.complete(token.value());
                  }
                }));
    return answer.future();
  }

  private void fetch(CompletableFuture<Token> done) {
    Vertx vertx = services.vertx();
    Instant issuedAt = services.clock().instant();
    vertx
        .executeBlocking(() -> assertion(issuedAt), false)
        .compose(this::exchange)
        .onComplete(
            result -> {
              synchronized (this) {
                if (result.succeeded()) {
                  cached = result.result();
                }
                inFlight = null;
              }
              if (result.succeeded()) {
                done.complete(result.result());
              } else {
                done.completeExceptionally(
                    result.cause() instanceof GatewayException
                        ? result.cause()
                        : failure(result.cause().getMessage()));
              }
            });
  }

  /** The signed JWT that asks for a token. CPU work: runs off the event loop. */
  String assertion(Instant issuedAt) throws GeneralSecurityException {
    ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
    if (key.privateKeyId() != null) {
      header.put("kid", key.privateKeyId());
    }
    long iat = issuedAt.getEpochSecond();
    ObjectNode claims =
        JSON.createObjectNode()
            .put("iss", key.clientEmail())
            .put("scope", SCOPE)
            .put("aud", key.tokenUri())
            .put("iat", iat)
            .put("exp", iat + ASSERTION_SECONDS);
    String signingInput = base64url(header.toString()) + "." + base64url(claims.toString());
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key.privateKey());
    rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + BASE64URL.encodeToString(rsa.sign());
  }

  /** Posts the assertion to the token endpoint; reads the token and its lifetime. */
  private Future<Token> exchange(String assertion) {
    Instant requestedAt = services.clock().instant();
    Buffer form =
        Buffer.buffer(
            "grant_type="
                + URLEncoder.encode(GRANT_TYPE, StandardCharsets.UTF_8)
                + "&assertion="
                + URLEncoder.encode(assertion, StandardCharsets.UTF_8));
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", "application/x-www-form-urlencoded")
            .add("Accept", "application/json");
    UpstreamRequest request = UpstreamRequest.post(key.tokenUri(), headers, form);
    return services
        .authClient()
        .send(request, new UpstreamOptions(provider, TOKEN_TIMEOUTS))
        .response()
        .compose(
            response -> response.body().map(body -> read(response.status(), body, requestedAt)));
  }

  private Token read(int status, Buffer body, Instant requestedAt) {
    JsonNode root;
    try {
      root = JSON.readTree(body.getBytes());
    } catch (IOException e) {
      root = null;
    }
    if (status != 200 || root == null || !root.path("access_token").isTextual()) {
      String detail =
          root == null
              ? UpstreamErrors.snippet(body)
              : root.path("error").asText("") + " " + root.path("error_description").asText("");
      throw failure(
          "the token endpoint answered HTTP "
              + status
              + ": "
              + UpstreamErrors.scrub(detail.trim(), null));
    }
    long lifetime = root.path("expires_in").asLong(3600);
    long margin = Math.min(Duration.ofMinutes(MARGIN_MINUTES).toSeconds(), lifetime / 2);
    return new Token(
        root.path("access_token").asText(), requestedAt.plusSeconds(lifetime - margin));
  }

  private GatewayException failure(String detail) {
    return new GatewayException(
        UpstreamErrors.authFailed(
            "Provider '"
                + provider
                + "' could not get an access token for service account "
                + key.clientEmail()
                + ": "
                + detail));
  }

  private static String base64url(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A token and when to stop using it.
   *
   * @param value the bearer token
   * @param refreshAt when to fetch a new one (shortly before it expires)
   */
  record Token(String value, Instant refreshAt) {
    @Override
    public String toString() {
      return "Token[until " + refreshAt + "]";
    }
  }
}
