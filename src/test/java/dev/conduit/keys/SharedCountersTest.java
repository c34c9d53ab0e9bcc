package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.TestRedis;
import dev.conduit.testing.Yaml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two gateway instances sharing one PostgreSQL database and the machine's Redis (under a key prefix
 * of this run) enforce one limit together: a rate limit and a budget hold across both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedCountersTest {
  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(1));
  private MockUpstream mock;
  private TestDatabases.TestDatabase db;
  private TestRedis redis;
  private TestGateway first;
  private TestGateway second;

  @BeforeAll
  void start() throws Exception {
    mock = new MockUpstream();
    db = TestDatabases.postgres();
    redis = new TestRedis();
    // A generous Redis timeout: on a busy test machine a 200-request burst can take seconds, and
    // a timeout would (correctly) fall back to per-instance counters; RedisOutageTest covers that.
    String yaml =
        Yaml.withMock(mock, db.url(), null)
            + Yaml.alias("metered", "metered-model")
            + redis.yaml(30_000);
    first = TestGateway.start(yaml, clock);
    first.price("mock", "metered-model", "0", "1000");
    second = TestGateway.start(yaml, clock);
  }

  @AfterAll
  void stop() throws Exception {
    first.close();
    second.close();
    mock.close();
    db.close();
    List<String> leftOver = redis.keys();
    redis.close();
    assertThat(leftOver).isNotEmpty().allMatch(key -> key.startsWith(redis.prefix()));
  }

  @Test
  void aRateLimitHoldsAcrossBothInstances() throws Exception {
    String key = sharedKey("{\"name\":\"shared-rpm\",\"rpm\":6}");
    int ok = 0;
    int limited = 0;
    for (int i = 0; i < 20; i++) {
      TestGateway gateway = i % 2 == 0 ? first : second;
      int status =
          gateway
              .client(
                  "POST",
                  "/v1/chat/completions",
                  key,
                  "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
              .statusCode();
      if (status == 200) {
        ok++;
      } else if (status == 429) {
        limited++;
      }
    }

    assertThat(ok).isEqualTo(6);
    assertThat(limited).isEqualTo(14);
  }

  @Test
  void concurrentRequestsOnBothInstancesNeverOvershootOneBudget() throws Exception {
    String key = sharedKey("{\"name\":\"shared-budget\",\"maxBudget\":0.03}");
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      TestGateway gateway = i % 2 == 0 ? first : second;
      calls.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/chat/completions")))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofString(BudgetTest.REQUEST))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    int ok = 0;
    int refused = 0;
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      int status = call.get().statusCode();
      if (status == 200) {
        ok++;
      } else if (status == 402) {
        refused++;
      }
    }

    assertThat(ok).isEqualTo(10);
    assertThat(refused).isEqualTo(190);
  }

  /** A key created on the first instance, once the second has picked it up. */
  private String sharedKey(String body) throws Exception {
    String key = first.createKey(body).get("key").asText();
    Eventually.await(
        "the second instance to know the new key",
        () -> second.client("GET", "/v1/models", key, null).statusCode(),
        status -> status == 200);
    return key;
  }
}
