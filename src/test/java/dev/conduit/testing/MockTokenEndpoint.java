package dev.conduit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's OAuth2 token endpoint for a service account, on a loopback port: it checks the JWT
 * bearer grant (form fields, RS256 signature against the test key's public half, issuer, scope,
 * audience, one-hour lifetime) and answers {@code token-1}, {@code token-2}, ... Also writes the
 * matching service-account key file. Its answers can be held back ({@link #hold()}) to see
 * concurrent requests share one fetch, or made to fail ({@link #failWith}).
 */
public final class MockTokenEndpoint implements AutoCloseable {
  public static final String CLIENT_EMAIL = "gateway@test-project.iam.gserviceaccount.com";
  public static final String KEY_ID = "0123456789abcdef0123456789abcdef01234567";
  public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final KeyPair keys;
  private final AtomicInteger issued = new AtomicInteger();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<JsonNode> claims = new CopyOnWriteArrayList<>();
  private volatile Promise<Void> gate;
  private volatile String failure;

  public MockTokenEndpoint() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  public String tokenUri() {
    return "http://127.0.0.1:" + server.actualPort() + "/token";
  }

  /** A service-account key file for this endpoint, with the private key as PKCS#8 PEM. */
  public String serviceAccountJson() {
    return serviceAccountJson(pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
  }

  /** The same key as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), as older tools write it. */
  public String serviceAccountJsonPkcs1() {
    return serviceAccountJson(pem("RSA PRIVATE KEY", pkcs1(keys.getPrivate().getEncoded())));
  }

  private String serviceAccountJson(String pem) {
    Map<String, Object> key = new HashMap<>();
    key.put("type", "service_account");
    key.put("project_id", "test-project");
    key.put("private_key_id", KEY_ID);
    key.put("private_key", pem);
    key.put("client_email", CLIENT_EMAIL);
    key.put("client_id", "1234");
    key.put("token_uri", tokenUri());
    try {
      return JSON.writeValueAsString(key);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Forgets what was received and issued; answers normally again. */
  public void reset() {
    issued.set(0);
    problems.clear();
    claims.clear();
    gate = null;
    failure = null;
  }

  /** Tokens issued so far (valid grants answered). */
  public int issued() {
    return issued.get();
  }

  /** Grants received, valid or not. */
  public List<JsonNode> claims() {
    return claims;
  }

  /** What was wrong with any grant received (empty when all were valid). */
  public List<String> problems() {
    return problems;
  }

  /** Holds every answer until {@link #release()}. */
  public void hold() {
    gate = Promise.promise();
  }

  public void release() {
    Promise<Void> current = gate;
    gate = null;
    vertx.runOnContext(v -> current.tryComplete());
  }

  /** Answers the next grants with HTTP 400 and this OAuth2 error; null to stop. */
  public void failWith(String error) {
    failure = error;
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              Map<String, String> form = new HashMap<>();
              for (String field : body.toString().split("&")) {
                int equals = field.indexOf('=');
                form.put(
                    URLDecoder.decode(field.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(field.substring(equals + 1), StandardCharsets.UTF_8));
              }
              String problem = check(request, form);
              Runnable answer =
                  () -> {
                    if (problem != null) {
                      problems.add(problem);
                      request
                          .response()
                          .setStatusCode(400)
                          .putHeader("Content-Type", "application/json")
                          .end(
                              "{\"error\":\"invalid_grant\",\"error_description\":\""
                                  + problem
                                  + "\"}");
                    } else if (failure != null) {
                      request
                          .response()
                          .setStatusCode(400)
                          .putHeader("Content-Type", "application/json")
                          .end(
                              "{\"error\":\""
                                  + failure
                                  + "\",\"error_description\":\"Invalid JWT "
                                  + "Signature.\"}");
                    } else {
                      request
                          .response()
                          .putHeader("Content-Type", "application/json")
                          .end(
                              "{\"access_token\":\"token-"
                                  + issued.incrementAndGet()
                                  + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
                    }
                  };
              Promise<Void> held = gate;
              if (held != null) {
                held.future().onComplete(v -> answer.run());
              } else {
                answer.run();
              }
            });
  }

  /** Null when the grant is valid, else what is wrong with it. */
  private String check(HttpServerRequest request, Map<String, String> form) {
    try {
      if (!"application/x-www-form-urlencoded".equals(request.getHeader("Content-Type"))) {
        return "wrong content type";
      }
      if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) {
        return "wrong grant_type";
      }
      String[] jwt = form.get("assertion").split("\\.");
      if (jwt.length != 3) {
        return "assertion is not a JWT";
      }
      JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
      JsonNode body = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
      claims.add(body);
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(keys.getPublic());
      rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
        return "bad signature";
      }
      if (!"RS256".equals(header.path("alg").asText())
          || !KEY_ID.equals(header.path("kid").asText())) {
        return "wrong header";
      }
      if (!CLIENT_EMAIL.equals(body.path("iss").asText())
          || !SCOPE.equals(body.path("scope").asText())
          || !tokenUri().equals(body.path("aud").asText())
          || body.path("exp").asLong() - body.path("iat").asLong() != 3600) {
        return "wrong claims";
      }
      return null;
    } catch (Exception e) {
      return "unreadable grant: " + e.getMessage();
    }
  }

  public RSAPublicKey publicKey() {
    return (RSAPublicKey) keys.getPublic();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** The PKCS#1 key inside a PKCS#8 one: the content of its last OCTET STRING. */
  private static byte[] pkcs1(byte[] pkcs8) {
    int position = 0;
    // SEQUENCE header, then version INTEGER, then the algorithm SEQUENCE, then OCTET STRING.
    position += headerLength(pkcs8, position);
    position += headerLength(pkcs8, position) + contentLength(pkcs8, position);
    position += headerLength(pkcs8, position) + contentLength(pkcs8, position);
    int length = contentLength(pkcs8, position);
    int start = position + headerLength(pkcs8, position);
    return java.util.Arrays.copyOfRange(pkcs8, start, start + length);
  }

  private static int headerLength(byte[] der, int position) {
    int first = der[position + 1] & 0xff;
    return first < 0x80 ? 2 : 2 + (first & 0x7f);
  }

  private static int contentLength(byte[] der, int position) {
    int first = der[position + 1] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[position + 2 + i] & 0xff);
    }
    return length;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
