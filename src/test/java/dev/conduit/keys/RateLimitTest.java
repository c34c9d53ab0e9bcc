package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.TestRedis;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Per-key rate limits over real HTTP: requests per minute and per day, tokens per minute, with
 * OpenAI's {@code X-RateLimit-*} headers and {@code Retry-After}; counted in process (SQLite) and
 * in the machine's Redis (PostgreSQL).
 */
class RateLimitTest {
  static final String REQUEST =
      "{\"model\":\"gpt-4o\"," + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class InProcess extends Cases {
    @Override
    TestDatabases.TestDatabase database() throws Exception {
      return TestDatabases.sqlite();
    }

    @Override
    String redisYaml() {
      return "";
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class InRedis extends Cases {
    TestRedis redis;

    @Override
    TestDatabases.TestDatabase database() throws Exception {
      return TestDatabases.postgres();
    }

    @Override
    String redisYaml() {
      redis = new TestRedis();
      return redis.yaml(30_000);
    }

    @Override
    void cleanUp() throws Exception {
      redis.close();
    }
  }

  abstract static class Cases {
    // Starts at the real time (Redis expires counters by it), at the start of a minute.
    final Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(1);
    final MutableClock clock = new MutableClock(start);
    MockUpstream mock;
    TestDatabases.TestDatabase db;
    TestGateway gateway;

    abstract TestDatabases.TestDatabase database() throws Exception;

    abstract String redisYaml();

    void cleanUp() throws Exception {}

    @BeforeAll
    void startGateway() throws Exception {
      mock = new MockUpstream();
      db = database();
      gateway = TestGateway.start(Yaml.withMock(mock, db.url(), null) + redisYaml(), clock);
    }

    @AfterAll
    void stop() throws Exception {
      gateway.close();
      mock.close();
      db.close();
      cleanUp();
    }

    @BeforeEach
    void rewind() {
      clock.set(start);
    }

    @Test
    void requestsPerMinuteAreCountedInHeadersAndTheNextOneGets429UntilTheMinuteEnds()
        throws Exception {
      String key = gateway.createKey("{\"name\":\"rpm\",\"rpm\":3}").get("key").asText();
      for (int remaining = 2; remaining >= 0; remaining--) {
        HttpResponse<String> ok = chat(key);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(header(ok, "X-RateLimit-Limit-Requests")).isEqualTo("3");
        assertThat(header(ok, "X-RateLimit-Remaining-Requests"))
            .isEqualTo(Integer.toString(remaining));
        assertThat(header(ok, "X-RateLimit-Reset-Requests")).isEqualTo("59s");
      }

      HttpResponse<String> limited = chat(key);

      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(header(limited, "Retry-After")).isEqualTo("59");
      assertThat(header(limited, "X-RateLimit-Limit-Requests")).isEqualTo("3");
      assertThat(header(limited, "X-RateLimit-Remaining-Requests")).isEqualTo("0");
      assertThat(header(limited, "X-RateLimit-Reset-Requests")).isEqualTo("59s");
      JsonNode error = TestGateway.json(limited.body()).get("error");
      assertThat(error.get("type").asText()).isEqualTo("rate_limit_exceeded");
      assertThat(error.get("message").asText()).contains("3 requests per minute");

      clock.advance(Duration.ofSeconds(59));
      assertThat(chat(key).statusCode()).isEqualTo(200);
      assertThat(gateway.client("GET", "/metrics", null, null).body())
          .contains("conduit_rate_limit_rejections_total{limit=\"rpm\"}");
    }

    @Test
    void requestsPerDayResetAtTheUtcDayBoundary() throws Exception {
      String key =
          gateway.createKey("{\"name\":\"rpd\",\"rpm\":100,\"rpd\":2}").get("key").asText();
      assertThat(chat(key).statusCode()).isEqualTo(200);
      HttpResponse<String> last = chat(key);
      assertThat(last.statusCode()).isEqualTo(200);
      // The tighter of the two windows is the one reported.
      assertThat(header(last, "X-RateLimit-Limit-Requests")).isEqualTo("2");
      assertThat(header(last, "X-RateLimit-Remaining-Requests")).isEqualTo("0");

      HttpResponse<String> limited = chat(key);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.body()).contains("2 requests per day");
      long untilMidnight =
          Duration.between(
                  clock.instant(),
                  clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)))
              .toSeconds();
      assertThat(Long.parseLong(header(limited, "Retry-After"))).isEqualTo(untilMidnight);
      // Written like OpenAI's "6h12m3s"; the test may run at any time of the UTC day.
      String reset = header(limited, "X-RateLimit-Reset-Requests");
      assertThat(reset).matches("(\\d+h)?(\\d+m)?\\d+(\\.\\d+)?s");
      assertThat(durationSeconds(reset)).isBetween(untilMidnight - 1, untilMidnight + 1);

      clock.set(clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)));
      assertThat(chat(key).statusCode()).isEqualTo(200);
    }

    @Test
    void tokensPerMinuteCountTheRequestsUsageAndRefuseWithTokenHeaders() throws Exception {
      // The mock reports 15 tokens per request; admission counts an estimate first.
      String key = gateway.createKey("{\"name\":\"tpm\",\"tpm\":100}").get("key").asText();
      int ok = 0;
      HttpResponse<String> limited = null;
      for (int i = 0; i < 10 && limited == null; i++) {
        HttpResponse<String> response = chat(key);
        if (response.statusCode() == 200) {
          assertThat(header(response, "X-RateLimit-Limit-Tokens")).isEqualTo("100");
          ok++;
        } else {
          limited = response;
        }
      }

      assertThat(limited).isNotNull();
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(ok).isBetween(1, 6);
      assertThat(header(limited, "X-RateLimit-Limit-Tokens")).isEqualTo("100");
      assertThat(Long.parseLong(header(limited, "X-RateLimit-Remaining-Tokens"))).isLessThan(100);
      assertThat(header(limited, "X-RateLimit-Reset-Tokens")).isEqualTo("59s");
      assertThat(header(limited, "Retry-After")).isEqualTo("59");
      assertThat(limited.body()).contains("100 tokens per minute");

      clock.advance(Duration.ofMinutes(1));
      assertThat(chat(key).statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestLargerThanTheTokenLimitIsRefusedAndSaysSo() throws Exception {
      String key = gateway.createKey("{\"name\":\"tiny\",\"tpm\":5}").get("key").asText();

      HttpResponse<String> limited =
          gateway.client(
              "POST",
              "/v1/chat/completions",
              key,
              "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
                  + "word ".repeat(50)
                  + "\"}]}");

      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.body()).contains("larger than the limit");
    }

    HttpResponse<String> chat(String key) throws Exception {
      return gateway.client("POST", "/v1/chat/completions", key, REQUEST);
    }

    static String header(HttpResponse<String> response, String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  /** Whole seconds of a duration written as "1h2m3s" (fractions of a second dropped). */
  private static long durationSeconds(String text) {
    Matcher parts = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(\\d+)(?:\\.\\d+)?s").matcher(text);
    assertThat(parts.matches()).isTrue();
    long hours = parts.group(1) == null ? 0 : Long.parseLong(parts.group(1));
    long minutes = parts.group(2) == null ? 0 : Long.parseLong(parts.group(2));
    return hours * 3600 + minutes * 60 + Long.parseLong(parts.group(3));
  }
}
