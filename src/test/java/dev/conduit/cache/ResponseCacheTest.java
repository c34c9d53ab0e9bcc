package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The response cache's memory tier through the real HTTP stack: hits never reach the provider,
 * answers stored from a stream replay as JSON and the other way round in each dialect, keys are
 * canonical and scoped, TTL, {@code Cache-Control}, money, logs, metrics and the admin API. Each
 * test uses aliases of its own (the mock counts calls per model name).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseCacheTest extends GatewayOnMock {
  private static final String HELLO = "[{\"role\":\"user\",\"content\":\"hi\"}]";

  private final MutableClock clock = new MutableClock(Instant.now());
  private String key;
  private String otherKey;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected Clock clock() {
    return clock;
  }

  @Override
  protected String extraYaml() {
    StringBuilder yaml = new StringBuilder();
    for (String alias :
        List.of(
            "c-json",
            "c-stream",
            "c-sdk",
            "c-order",
            "c-scope",
            "c-short",
            "c-maxage",
            "c-control",
            "c-embed",
            "c-compl",
            "c-msg",
            "c-log",
            "c-deny",
            "c-off",
            "c-admin",
            "c-metrics",
            "c-rpm",
            "c-tpm",
            "finish-length",
            "finish-null")) {
      yaml.append(Yaml.alias(alias, alias));
    }
    return yaml
        + """
        cache:
          enabled: true
          ttlSeconds: 600
          models:
            c-off: { enabled: false }
            c-short: { ttlSeconds: 30 }
        """;
  }

  @Override
  protected void started() throws Exception {
    key = gateway.newKey();
    otherKey = gateway.newKey();
  }

  private HttpResponse<String> post(String path, String apiKey, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.clientUrl(path)))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + apiKey);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return gateway.send(request, "POST", body);
  }

  private HttpResponse<String> chat(String model, String apiKey, String... headers)
      throws Exception {
    return post(
        "/v1/chat/completions",
        apiKey,
        "{\"model\":\"" + model + "\",\"messages\":" + HELLO + "}",
        headers);
  }

  private static String cacheHeader(HttpResponse<String> response) {
    return response.headers().firstValue("X-Conduit-Cache").orElse(null);
  }

  /** The data of each event of an SSE body, in order. */
  private static List<String> events(String body) {
    List<String> data = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      for (String line : event.split("\n")) {
        if (line.startsWith("data: ")) {
          data.add(line.substring(6));
        }
      }
    }
    return data;
  }

  private static String openAiStreamText(List<String> events) throws Exception {
    StringBuilder text = new StringBuilder();
    for (String data : events) {
      if (!data.equals("[DONE]")) {
        for (JsonNode choice : TestGateway.json(data).path("choices")) {
          text.append(choice.path("delta").path("content").asText(""));
        }
      }
    }
    return text.toString();
  }

  @Test
  void aRepeatedChatRequestIsAnsweredFromTheCacheWithoutTheProvider() throws Exception {
    HttpResponse<String> first = chat("c-json", key);
    HttpResponse<String> second = chat("c-json", key);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(cacheHeader(first)).isEqualTo("miss");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(cacheHeader(second)).isEqualTo("hit");
    assertThat(second.headers().firstValue("Age")).hasValue("0");
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(mock.calls("c-json")).isEqualTo(1);
  }

  @Test
  void aStreamedAnswerIsStoredOnceAndReplayedAsJsonAndAsStreams() throws Exception {
    String streamed =
        "{\"model\":\"c-stream\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":"
            + HELLO
            + "}";
    HttpResponse<String> original = post("/v1/chat/completions", key, streamed);
    assertThat(cacheHeader(original)).isEqualTo("miss");
    assertThat(openAiStreamText(events(original.body()))).isEqualTo(MockUpstream.TEXT);

    HttpResponse<String> json = chat("c-stream", key);
    assertThat(cacheHeader(json)).isEqualTo("hit");
    JsonNode answer = TestGateway.json(json.body());
    assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
    assertThat(answer.path("choices").get(0).path("message").path("content").asText())
        .isEqualTo(MockUpstream.TEXT);
    assertThat(answer.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
    assertThat(answer.path("usage").path("prompt_tokens").asLong()).isEqualTo(12);
    assertThat(answer.path("usage").path("completion_tokens").asLong()).isEqualTo(3);

    HttpResponse<String> withUsage = post("/v1/chat/completions", key, streamed);
    assertThat(cacheHeader(withUsage)).isEqualTo("hit");
    assertThat(withUsage.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    List<String> events = events(withUsage.body());
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    assertThat(openAiStreamText(events)).isEqualTo(MockUpstream.TEXT);
    JsonNode usageChunk = TestGateway.json(events.get(events.size() - 2));
    assertThat(usageChunk.path("choices")).isEmpty();
    assertThat(usageChunk.path("usage").path("total_tokens").asLong()).isEqualTo(15);

    HttpResponse<String> withoutUsage =
        post(
            "/v1/chat/completions",
            key,
            "{\"model\":\"c-stream\",\"stream\":true,\"messages\":" + HELLO + "}");
    assertThat(cacheHeader(withoutUsage)).isEqualTo("hit");
    List<String> plain = events(withoutUsage.body());
    assertThat(plain.get(plain.size() - 1)).isEqualTo("[DONE]");
    assertThat(plain).noneMatch(data -> data.contains("\"usage\":{"));
    assertThat(openAiStreamText(plain)).isEqualTo(MockUpstream.TEXT);

    assertThat(mock.calls("c-stream")).isEqualTo(1);
  }

  @Test
  void theOpenAiSdkReadsAJsonAnswerReplayedAsAStream() {
    OpenAIClient openAi = gateway.openAi(key);
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder().model("c-sdk").addUserMessage("Say hello").build();
    ChatCompletion completion = openAi.chat().completions().create(params);
    String replayed;
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream =
        openAi.chat().completions().createStreaming(params)) {
      replayed =
          stream.stream()
              .flatMap(chunk -> chunk.choices().stream())
              .map(choice -> choice.delta().content().orElse(""))
              .collect(Collectors.joining());
    }

    assertThat(completion.choices().get(0).message().content()).hasValue(MockUpstream.TEXT);
    assertThat(replayed).isEqualTo(MockUpstream.TEXT);
    assertThat(mock.calls("c-sdk")).isEqualTo(1);
  }

  @Test
  void keyOrderAndNumberFormatDoNotMatterButAnyParameterDoes() throws Exception {
    String original =
        "{\"model\":\"c-order\",\"temperature\":0.5,\"max_tokens\":10,\"messages\":" + HELLO + "}";
    String reordered =
        "{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"max_tokens\":10,"
            + "\"temperature\":5e-1,\"user\":\"someone\",\"model\":\"c-order\"}";
    String changed =
        "{\"model\":\"c-order\",\"temperature\":0.6,\"max_tokens\":10,\"messages\":" + HELLO + "}";

    assertThat(cacheHeader(post("/v1/chat/completions", key, original))).isEqualTo("miss");
    assertThat(cacheHeader(post("/v1/chat/completions", key, reordered))).isEqualTo("hit");
    assertThat(cacheHeader(post("/v1/chat/completions", key, changed))).isEqualTo("miss");
    assertThat(mock.calls("c-order")).isEqualTo(2);
  }

  @Test
  void oneKeyNeverGetsAnotherKeysAnswer() throws Exception {
    assertThat(cacheHeader(chat("c-scope", key))).isEqualTo("miss");
    assertThat(cacheHeader(chat("c-scope", otherKey))).isEqualTo("miss");
    assertThat(cacheHeader(chat("c-scope", otherKey))).isEqualTo("hit");
    assertThat(mock.calls("c-scope")).isEqualTo(2);
  }

  @Test
  void anAnswerExpiresAfterItsAliasTtl() throws Exception {
    assertThat(cacheHeader(chat("c-short", key))).isEqualTo("miss");
    clock.advance(Duration.ofSeconds(20));
    HttpResponse<String> young = chat("c-short", key);
    assertThat(cacheHeader(young)).isEqualTo("hit");
    assertThat(young.headers().firstValue("Age")).hasValue("20");
    clock.advance(Duration.ofSeconds(11));
    assertThat(cacheHeader(chat("c-short", key))).isEqualTo("miss");
    assertThat(mock.calls("c-short")).isEqualTo(2);
  }

  @Test
  void maxAgeRefusesOlderAnswers() throws Exception {
    assertThat(cacheHeader(chat("c-maxage", key))).isEqualTo("miss");
    clock.advance(Duration.ofSeconds(120));
    assertThat(cacheHeader(chat("c-maxage", key, "Cache-Control", "max-age=200"))).isEqualTo("hit");
    assertThat(cacheHeader(chat("c-maxage", key, "Cache-Control", "max-age=60"))).isEqualTo("miss");
    // The miss stored a fresh answer.
    assertThat(cacheHeader(chat("c-maxage", key, "Cache-Control", "max-age=60"))).isEqualTo("hit");
    assertThat(mock.calls("c-maxage")).isEqualTo(2);
  }

  @Test
  void noCacheSkipsTheLookupAndNoStoreSkipsTheCache() throws Exception {
    assertThat(cacheHeader(chat("c-control", key))).isEqualTo("miss");
    assertThat(cacheHeader(chat("c-control", key, "Cache-Control", "no-cache"))).isEqualTo("miss");
    assertThat(cacheHeader(chat("c-control", key, "Cache-Control", "no-store")))
        .isEqualTo("bypass");
    assertThat(cacheHeader(chat("c-control", key))).isEqualTo("hit");
    assertThat(mock.calls("c-control")).isEqualTo(3);
  }

  @Test
  void embeddingsAndCompletionsAreCachedToo() throws Exception {
    OpenAIClient openAi = gateway.openAi(key);
    EmbeddingCreateParams params =
        EmbeddingCreateParams.builder().model("c-embed").input("hello").build();
    CreateEmbeddingResponse first = openAi.embeddings().create(params);
    CreateEmbeddingResponse second = openAi.embeddings().create(params);
    assertThat(second.data().get(0).embedding()).isEqualTo(first.data().get(0).embedding());
    assertThat(mock.calls("c-embed")).isEqualTo(1);

    String completion = "{\"model\":\"c-compl\",\"prompt\":\"Say hello\",\"max_tokens\":5}";
    HttpResponse<String> one = post("/v1/completions", key, completion);
    HttpResponse<String> two = post("/v1/completions", key, completion);
    assertThat(cacheHeader(two)).isEqualTo("hit");
    assertThat(two.body()).isEqualTo(one.body());
    assertThat(mock.calls("c-compl")).isEqualTo(1);
  }

  @Test
  void anthropicMessagesAreReplayedAsJsonAndAsAStreamTheSdkReads() {
    AnthropicClient anthropic = gateway.anthropic(key);
    MessageCreateParams params =
        MessageCreateParams.builder()
            .model("c-msg")
            .maxTokens(100)
            .addUserMessage("Say hello")
            .build();
    Message first = anthropic.messages().create(params);
    Message second = anthropic.messages().create(params);
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream =
        anthropic.messages().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message streamed = accumulator.message();

    assertThat(text(first)).isEqualTo(MockUpstream.TEXT);
    assertThat(second).isEqualTo(first);
    assertThat(text(streamed)).isEqualTo(MockUpstream.TEXT);
    assertThat(streamed.usage().outputTokens()).isEqualTo(3);
    assertThat(mock.calls("c-msg")).isEqualTo(1);
  }

  private static String text(Message message) {
    return message.content().stream()
        .filter(ContentBlock::isText)
        .map(block -> block.asText().text())
        .collect(Collectors.joining());
  }

  @Test
  void aHitCostsNothingAndIsLoggedWithTheCostItSaved() throws Exception {
    gateway.price("mock", "c-log", "1000", "1000");
    HttpResponse<String> miss = chat("c-log", key);
    HttpResponse<String> hit = chat("c-log", key);
    assertThat(cacheHeader(hit)).isEqualTo("hit");
    assertThat(hit.headers().firstValue("X-Conduit-Cost")).hasValue("0");

    Map<String, Object> stored =
        RequestLogs.awaitRow(db, miss.headers().firstValue("X-Request-ID").orElseThrow());
    Map<String, Object> served =
        RequestLogs.awaitRow(db, hit.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(RequestLogs.number(stored, "cache_hit")).isZero();
    assertThat(RequestLogs.number(stored, "cost_nanos")).isPositive();
    assertThat(RequestLogs.number(served, "cache_hit")).isEqualTo(1);
    assertThat(RequestLogs.number(served, "cost_nanos")).isZero();
    assertThat(RequestLogs.number(served, "cost_saved_nanos"))
        .isEqualTo(RequestLogs.number(stored, "cost_nanos"));
    assertThat(RequestLogs.number(served, "attempts")).isZero();
    assertThat(RequestLogs.number(served, "status_code")).isEqualTo(200);
    assertThat(mock.calls("c-log")).isEqualTo(1);

    for (String groupBy : List.of("model", "key")) {
      JsonNode spend =
          TestGateway.json(
              gateway
                  .admin("GET", "/api/admin/spend?groupBy=" + groupBy + "&model=c-log", null)
                  .body());
      assertThat(spend.path("data")).as(groupBy).hasSize(1);
      JsonNode totals = spend.path("data").get(0);
      assertThat(totals.path("requests").asLong()).as(groupBy).isEqualTo(2);
      assertThat(totals.path("cacheHits").asLong()).as(groupBy).isEqualTo(1);
      assertThat(totals.path("costSaved").decimalValue())
          .as(groupBy)
          .isEqualByComparingTo(totals.path("cost").decimalValue());
    }
    JsonNode logs =
        TestGateway.json(gateway.admin("GET", "/api/admin/logs?model=c-log", null).body());
    assertThat(logs.path("data").get(0).path("cacheHit").asBoolean()).isTrue();
    assertThat(logs.path("data").get(1).path("cacheHit").asBoolean()).isFalse();
  }

  @Test
  void hitsCountTowardRequestLimitsButNotTokenLimits() throws Exception {
    String limited = gateway.createKey("{\"name\":\"rpm\",\"rpm\":3}").get("key").asText();
    assertThat(cacheHeader(chat("c-rpm", limited))).isEqualTo("miss");
    assertThat(cacheHeader(chat("c-rpm", limited))).isEqualTo("hit");
    assertThat(cacheHeader(chat("c-rpm", limited))).isEqualTo("hit");
    assertThat(chat("c-rpm", limited).statusCode()).isEqualTo(429);
    assertThat(mock.calls("c-rpm")).isEqualTo(1);

    String tokens = gateway.createKey("{\"name\":\"tpm\",\"tpm\":100000}").get("key").asText();
    chat("c-tpm", tokens);
    List<String> remaining = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> hit = chat("c-tpm", tokens);
      assertThat(cacheHeader(hit)).isEqualTo("hit");
      remaining.add(hit.headers().firstValue("X-RateLimit-Remaining-Tokens").orElseThrow());
    }
    // Each hit reserves the same estimate at admission and gives it all back: no tokens counted.
    assertThat(remaining).containsOnly(remaining.get(0));
  }

  @Test
  void aKeyDeniedCachingAndAnAliasWithoutItBypassTheCache() throws Exception {
    String denied =
        gateway
            .createKey("{\"name\":\"no-cache\",\"metadata\":{\"cache\":false}}")
            .get("key")
            .asText();
    assertThat(cacheHeader(chat("c-deny", denied))).isEqualTo("bypass");
    assertThat(cacheHeader(chat("c-deny", denied))).isEqualTo("bypass");
    assertThat(mock.calls("c-deny")).isEqualTo(2);

    assertThat(cacheHeader(chat("c-off", key))).isEqualTo("bypass");
    assertThat(cacheHeader(chat("c-off", key))).isEqualTo("bypass");
    assertThat(mock.calls("c-off")).isEqualTo(2);
  }

  @Test
  void failedAndCutStreamsAreNotStored() throws Exception {
    for (String model : List.of("error-stream", "cut-stream")) {
      String body = "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":" + HELLO + "}";
      post("/v1/chat/completions", key, body);
      HttpResponse<String> again = post("/v1/chat/completions", key, body);
      assertThat(cacheHeader(again)).as(model).isEqualTo("miss");
    }
    assertThat(cacheHeader(chat("fail-503", key))).isEqualTo("miss");
    assertThat(cacheHeader(chat("fail-503", key))).isEqualTo("miss");
  }

  @Test
  void wholeAnswersCutAtTheOutputLimitOrWithoutAFinishReasonAreNotStored() throws Exception {
    for (String model : List.of("finish-length", "finish-null")) {
      assertThat(chat(model, key).statusCode()).as(model).isEqualTo(200);
      assertThat(cacheHeader(chat(model, key))).as(model).isEqualTo("miss");
    }
    assertThat(mock.calls("finish-length")).isEqualTo(2);
    assertThat(mock.calls("finish-null")).isEqualTo(2);
  }

  @Test
  void theAdminApiShowsAndDeletesEntries() throws Exception {
    chat("c-admin", key);
    assertThat(cacheHeader(chat("c-admin", key))).isEqualTo("hit");
    JsonNode stats = TestGateway.json(gateway.admin("GET", "/api/admin/cache", null).body());
    assertThat(stats.path("enabled").asBoolean()).isTrue();
    assertThat(stats.path("memory").path("entries").asLong()).isPositive();
    assertThat(stats.path("memory").path("bytes").asLong()).isPositive();

    HttpResponse<String> deleted = gateway.admin("DELETE", "/api/admin/cache?model=c-admin", null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(TestGateway.json(deleted.body()).path("memory").asLong()).isEqualTo(1);
    assertThat(cacheHeader(chat("c-admin", key))).isEqualTo("miss");
    assertThat(mock.calls("c-admin")).isEqualTo(2);
  }

  @Test
  void hitsAndMissesAreCountedByModelAndTier() throws Exception {
    chat("c-metrics", key);
    chat("c-metrics", key);
    chat("c-metrics", key);
    String metrics = gateway.client("GET", "/metrics", null, null).body();
    assertThat(metrics)
        .contains("conduit_cache_hits_total{model=\"c-metrics\",tier=\"memory\"} 2.0")
        .contains("conduit_cache_misses_total{model=\"c-metrics\",tier=\"memory\"} 1.0")
        .contains("conduit_cache_entries{tier=\"memory\"}")
        .contains("conduit_cache_bytes{tier=\"memory\"}")
        .contains("conduit_cache_lookup_seconds_count{tier=\"memory\"}")
        .contains(
            "conduit_llm_requests_total{model=\"c-metrics\",provider=\"cache\",status=\"success\"} 2");
  }
}
