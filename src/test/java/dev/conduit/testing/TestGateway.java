package dev.conduit.testing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.conduit.assembly.Gateway;
import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigLoader;
import dev.conduit.pipeline.RetryTimer;
import dev.conduit.provider.ProviderRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A gateway started in process on free loopback ports, configured from YAML through the real config
 * loader, with helpers to call it as a client, an admin, or through the OpenAI SDK.
 */
public final class TestGateway implements AutoCloseable {
  public static final String MASTER_KEY = "condt_admin_test_master_key_0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Gateway gateway;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private TestGateway(String yaml, Map<String, String> extraEnv, Clock clock, boolean withMasterKey)
      throws Exception {
    this(yaml, extraEnv, clock, withMasterKey, RetryTimer.VERTX);
  }

  private TestGateway(
      String yaml,
      Map<String, String> extraEnv,
      Clock clock,
      boolean withMasterKey,
      RetryTimer retryTimer)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("CONDUIT_PORT", "0");
    env.put("CONDUIT_ADMIN_PORT", "0");
    if (withMasterKey) {
      env.put("CONDUIT_MASTER_KEY", MASTER_KEY);
    }
    env.putAll(extraEnv);
    ConduitConfig config =
        new ConfigLoader(env, ProviderRegistry.configTypes()).parse(yaml, "test.yaml");
    gateway = Gateway.start(config, clock, new PrintStream(console, true), retryTimer);
  }

  /** With a test clock and a retry timer that records backoffs instead of waiting them. */
  public static TestGateway start(
      String yaml, Map<String, String> env, Clock clock, RetryTimer retryTimer) throws Exception {
    return new TestGateway(yaml, env, clock, true, retryTimer);
  }

  public static TestGateway start(String yaml) throws Exception {
    return new TestGateway(yaml, Map.of(), Clock.systemUTC(), true);
  }

  public static TestGateway start(String yaml, Map<String, String> env) throws Exception {
    return new TestGateway(yaml, env, Clock.systemUTC(), true);
  }

  /** With a clock the test moves ({@link MutableClock}). */
  public static TestGateway start(String yaml, Clock clock) throws Exception {
    return new TestGateway(yaml, Map.of(), clock, true);
  }

  public static TestGateway start(String yaml, Map<String, String> env, Clock clock)
      throws Exception {
    return new TestGateway(yaml, env, clock, true);
  }

  /** Without {@code CONDUIT_MASTER_KEY}: the gateway generates (or reuses) one. */
  public static TestGateway startWithoutMasterKey(String yaml) throws Exception {
    return new TestGateway(yaml, Map.of(), Clock.systemUTC(), false);
  }

  public Gateway gateway() {
    return gateway;
  }

  /** What the gateway printed to its console (not its log). */
  public String console() {
    return console.toString();
  }

  public String clientUrl(String path) {
    return "http://127.0.0.1:" + gateway.port() + path;
  }

  public String adminUrl(String path) {
    return "http://127.0.0.1:" + gateway.adminPort() + path;
  }

  /** Creates a virtual key with the given JSON body; returns the admin API's answer. */
  public JsonNode createKey(String body) throws Exception {
    HttpResponse<String> response = admin("POST", "/api/admin/virtual-keys", body);
    if (response.statusCode() != 201) {
      throw new AssertionError(
          "creating a key answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /**
   * Prices {@code model} of {@code provider} through the admin API, in US dollars per million
   * tokens (given as JSON numbers, e.g. {@code "0.5"}); returns the created price.
   */
  public JsonNode price(
      String provider, String model, String inputPerMillion, String outputPerMillion)
      throws Exception {
    HttpResponse<String> response =
        admin(
            "POST",
            "/api/admin/model-costs",
            "{\"provider\":\""
                + provider
                + "\",\"model\":\""
                + model
                + "\",\"inputPerMillion\":"
                + inputPerMillion
                + ",\"outputPerMillion\":"
                + outputPerMillion
                + "}");
    if (response.statusCode() != 201) {
      throw new AssertionError(
          "pricing " + model + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** A new virtual key that may use every model. */
  public String newKey() throws Exception {
    return createKey("{\"name\":\"test\"}").get("key").asText();
  }

  public HttpResponse<String> admin(String method, String path, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(adminUrl(path)))
            .header("X-Master-Key", MASTER_KEY)
            .timeout(Duration.ofSeconds(30));
    return send(request, method, body);
  }

  /** A raw call to the client API, for what an SDK cannot send (bad JSON, odd headers). */
  public HttpResponse<String> client(String method, String path, String key, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(clientUrl(path))).timeout(Duration.ofSeconds(30));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return send(request, method, body);
  }

  public HttpResponse<String> send(HttpRequest.Builder request, String method, String body)
      throws Exception {
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The official OpenAI SDK pointed at this gateway, without SDK retries. */
  public OpenAIClient openAi(String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(clientUrl("/v1"))
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  /**
   * The official Anthropic SDK pointed at this gateway's {@code /v1/messages}, key in x-api-key.
   */
  public AnthropicClient anthropic(String key) {
    return AnthropicOkHttpClient.builder()
        .baseUrl(clientUrl(""))
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  /** The Anthropic SDK sending its key as {@code Authorization: Bearer}. */
  public AnthropicClient anthropicWithBearer(String key) {
    return AnthropicOkHttpClient.builder()
        .baseUrl(clientUrl(""))
        .authToken(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  @Override
  public void close() {
    gateway.close();
  }

  public static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }
}
