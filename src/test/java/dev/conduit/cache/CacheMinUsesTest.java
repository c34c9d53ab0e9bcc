package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code cache.minUses: 2}: an answer is stored the second time its request comes, so the third is
 * the first hit; requests that never repeat store nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheMinUsesTest extends GatewayOnMock {
  private String key;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String extraYaml() {
    return Yaml.alias("m-twice", "m-twice")
        + Yaml.alias("m-unique", "m-unique")
        + """
        cache:
          enabled: true
          minUses: 2
        """;
  }

  @Override
  protected void started() throws Exception {
    key = gateway.newKey();
  }

  private String cacheHeader(String model, String question, boolean stream) throws Exception {
    String body =
        "{\"model\":\""
            + model
            + "\",\"stream\":"
            + stream
            + ",\"messages\":"
            + "[{\"role\":\"user\",\"content\":\""
            + question
            + "\"}]}";
    HttpResponse<String> response =
        gateway.send(
            HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/chat/completions")))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key),
            "POST",
            body);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.headers().firstValue("X-Conduit-Cache").orElse(null);
  }

  @Test
  void theSecondAnswerIsStoredAndTheThirdRequestHits() throws Exception {
    for (boolean stream : new boolean[] {false, true}) {
      String question = "twice, stream " + stream;
      assertThat(cacheHeader("m-twice", question, stream)).isEqualTo("miss");
      assertThat(cacheHeader("m-twice", question, stream)).isEqualTo("miss");
      assertThat(cacheHeader("m-twice", question, stream)).isEqualTo("hit");
      assertThat(cacheHeader("m-twice", question, !stream)).isEqualTo("hit");
    }
    assertThat(mock.calls("m-twice")).isEqualTo(4);
  }

  @Test
  void requestsThatNeverRepeatStoreNothing() throws Exception {
    long before = memoryEntries();
    for (int i = 0; i < 20; i++) {
      assertThat(cacheHeader("m-unique", "question " + i, false)).isEqualTo("miss");
    }
    assertThat(memoryEntries()).isEqualTo(before);
    assertThat(cacheHeader("m-unique", "question 7", false)).isEqualTo("miss");
    assertThat(memoryEntries()).isEqualTo(before + 1);
  }

  private long memoryEntries() throws Exception {
    HttpResponse<String> stats = gateway.admin("GET", "/api/admin/cache", null);
    assertThat(stats.statusCode()).isEqualTo(200);
    return TestGateway.json(stats.body()).path("memory").path("entries").asLong(-1);
  }
}
