package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.store.Database;
import dev.conduit.store.RequestLogEntry;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.RequestLogSeed;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /api/admin/stats/recent}: per-minute aggregates of the request log on SQLite and
 * PostgreSQL, with every minute of the window present, rows outside it left out, and percentiles
 * read from the latency buckets.
 */
class RecentStatsTest {

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnSqlite extends Cases {
    @Override
    protected String database() {
      return "sqlite";
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnPostgres extends Cases {
    @Override
    protected String database() {
      return "postgresql";
    }
  }

  abstract static class Cases extends GatewayOnMock {
    final MutableClock clock = new MutableClock(Instant.parse("2031-05-01T09:30:20Z"));

    @Override
    protected Clock clock() {
      return clock;
    }

    @Override
    protected void started() throws Exception {
      try (Database database = RequestLogSeed.open(db)) {
        RequestLogSeed.write(
            database,
            List.of(
                row("a", "2031-05-01T09:28:01Z", 200, false, 20, false),
                row("b", "2031-05-01T09:28:15Z", 200, true, 40, false),
                row("c", "2031-05-01T09:28:30Z", 502, false, 60, false),
                row("d", "2031-05-01T09:28:59.999Z", 200, false, 1_000, true),
                row("e", "2031-05-01T09:30:00Z", 200, false, 100, false),
                row("f", "2031-05-01T09:30:10Z", 200, false, 100, false),
                // Outside the last hour, and after now (another instance's clock): left out.
                row("old", "2031-05-01T08:30:59Z", 200, false, 5, false),
                row("late", "2031-05-01T09:31:00Z", 200, false, 5, false)));
      }
    }

    private static RequestLogEntry row(
        String id, String time, int status, boolean stream, long latencyMs, boolean cacheHit) {
      return new RequestLogEntry(
          "stats-" + id,
          Instant.parse(time),
          "req-" + id,
          "key-1",
          "chat.completions",
          "gpt-4o",
          "mock",
          "gpt-4o",
          status,
          stream,
          10,
          5,
          0,
          latencyMs,
          null,
          1,
          status == 200 ? null : "upstream_error",
          status == 200 ? null : "Bad gateway",
          1_000L,
          null,
          cacheHit,
          cacheHit ? 2_000L : null);
    }

    private JsonNode recent(String query) throws Exception {
      HttpResponse<String> response = gateway.admin("GET", "/api/admin/stats/recent" + query, null);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return TestGateway.json(response.body());
    }

    @Test
    void everyMinuteOfTheLastHourIsThereOldestFirst() throws Exception {
      JsonNode stats = recent("");

      assertThat(stats.get("minutes").asInt()).isEqualTo(60);
      assertThat(stats.get("from").asText()).isEqualTo("2031-05-01T08:31:00Z");
      assertThat(stats.get("to").asText()).isEqualTo("2031-05-01T09:31:00Z");
      assertThat(stats.get("activeRequests").asInt()).isZero();
      JsonNode data = stats.get("data");
      assertThat(data).hasSize(60);
      assertThat(data.get(0).get("minute").asText()).isEqualTo("2031-05-01T08:31:00Z");
      assertThat(data.get(0).get("requests").asLong()).isZero();
      assertThat(data.get(0).get("p50Ms").isNull()).isTrue();

      JsonNode busy = data.get(57);
      assertThat(busy.get("minute").asText()).isEqualTo("2031-05-01T09:28:00Z");
      assertThat(busy.get("requests").asLong()).isEqualTo(4);
      assertThat(busy.get("errors").asLong()).isEqualTo(1);
      assertThat(busy.get("streams").asLong()).isEqualTo(1);
      assertThat(busy.get("cacheHits").asLong()).isEqualTo(1);
      assertThat(busy.get("tokens").asLong()).isEqualTo(60);
      assertThat(busy.get("cost").decimalValue()).isEqualByComparingTo("0.000004");
      // Latencies 20, 40, 60, 1000 ms: the median falls in the 25-50 ms bucket, at its top.
      assertThat(busy.get("p50Ms").asLong()).isEqualTo(50);

      JsonNode current = data.get(59);
      assertThat(current.get("minute").asText()).isEqualTo("2031-05-01T09:30:00Z");
      assertThat(current.get("requests").asLong()).isEqualTo(2);
      assertThat(current.get("errors").asLong()).isZero();
    }

    @Test
    void theTotalMergesTheMinutes() throws Exception {
      JsonNode total = recent("?minutes=60").get("total");

      assertThat(total.get("requests").asLong()).isEqualTo(6);
      assertThat(total.get("errors").asLong()).isEqualTo(1);
      assertThat(total.get("errorRate").asDouble()).isEqualTo(0.1667);
      assertThat(total.get("cacheHits").asLong()).isEqualTo(1);
      assertThat(total.get("cacheHitRate").asDouble()).isEqualTo(0.1667);
      assertThat(total.get("inputTokens").asLong()).isEqualTo(60);
      assertThat(total.get("outputTokens").asLong()).isEqualTo(30);
      assertThat(total.get("cost").decimalValue()).isEqualByComparingTo("0.000006");
      // Six requests over the 3,560 s from 08:31:00 to now.
      assertThat(total.get("requestsPerSecond").asDouble()).isEqualTo(0.002);
      // Sorted: 20, 40, 60, 100, 100, 1000. The 95th percentile is in the 800-1000 ms bucket.
      assertThat(total.get("p50Ms").asLong()).isEqualTo(75);
      assertThat(total.get("p95Ms").asLong()).isEqualTo(940);
    }

    @Test
    void aShorterWindowCountsOnlyItsMinutes() throws Exception {
      JsonNode stats = recent("?minutes=2");

      assertThat(stats.get("data")).hasSize(2);
      assertThat(stats.get("from").asText()).isEqualTo("2031-05-01T09:29:00Z");
      assertThat(stats.get("total").get("requests").asLong()).isEqualTo(2);
      assertThat(stats.get("total").get("p50Ms").asLong()).isEqualTo(88);
    }

    @Test
    void minutesOutsideOneToADayAreRefused() throws Exception {
      for (String bad : List.of("0", "1441", "ten", "-5")) {
        HttpResponse<String> response =
            gateway.admin("GET", "/api/admin/stats/recent?minutes=" + bad, null);
        assertThat(response.statusCode()).as(bad).isEqualTo(400);
        assertThat(TestGateway.json(response.body()).at("/error/param").asText())
            .isEqualTo("minutes");
      }
    }
  }
}
