package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The usage analytics of the admin API against the request log, on SQLite and PostgreSQL: pages and
 * filters of {@code /logs}, one row, the CSV export, and spend totals that equal the sums of the
 * logged rows they cover.
 */
class UsageAnalyticsTest {

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
    static final int REQUESTS = 11;
    final MutableClock clock = new MutableClock(Instant.parse("2031-05-01T09:00:00Z"));
    String keyA;
    String keyB;
    String groupId;

    @Override
    protected String extraYaml() {
      return Yaml.alias("metered", "metered-model");
    }

    @Override
    protected Clock clock() {
      return clock;
    }

    @Override
    protected void started() throws Exception {
      gateway.price("mock", "metered-model", "0.5", "1000");
      // Key b draws on a group, so its spend is limited: every model it uses needs a price.
      gateway.price("mock", "fail-400", "1", "1");
      groupId =
          TestGateway.json(
                  gateway
                      .admin(
                          "POST",
                          "/api/admin/key-groups",
                          "{\"name\":\"analytics\",\"balance\":100}")
                      .body())
              .get("id")
              .asText();
      JsonNode a = gateway.createKey("{\"name\":\"a\"}");
      JsonNode b = gateway.createKey("{\"name\":\"b\",\"groupId\":\"" + groupId + "\"}");
      keyA = a.get("id").asText();
      keyB = b.get("id").asText();

      // Day one: 6 requests; day two: 5.
      call(a, "gpt-4o", false);
      call(a, "gpt-4o", false);
      call(a, "metered", false);
      call(b, "metered", false);
      call(b, "fail-400", false);
      call(b, "gpt-4o", true);
      clock.set(Instant.parse("2031-05-02T15:00:00Z"));
      call(a, "gpt-4o", false);
      call(a, "metered", false);
      call(b, "metered", false);
      call(b, "metered", true);
      call(a, "fail-400", false);
      Eventually.await(
          "every request's log row", () -> RequestLogs.count(db), count -> count == REQUESTS);
    }

    @Test
    void logsComeNewestFirstInCursorPagesThatCoverEveryRowOnce() throws Exception {
      List<JsonNode> rows = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        JsonNode page =
            get("/api/admin/logs?limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
        page.get("data").forEach(rows::add);
        cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        pages++;
      } while (cursor != null);

      assertThat(pages).isEqualTo(3);
      assertThat(rows).hasSize(REQUESTS);
      Set<String> ids = new HashSet<>();
      rows.forEach(row -> ids.add(row.get("id").asText()));
      assertThat(ids).hasSize(REQUESTS);
      for (int i = 1; i < rows.size(); i++) {
        Instant newer = Instant.parse(rows.get(i - 1).get("timestamp").asText());
        Instant older = Instant.parse(rows.get(i).get("timestamp").asText());
        assertThat(newer).isAfterOrEqualTo(older);
      }
      assertThat(rows.get(0).get("model").asText()).isEqualTo("fail-400");

      JsonNode one = get("/api/admin/logs/" + rows.get(3).get("id").asText());
      assertThat(one.get("requestId").asText()).isEqualTo(rows.get(3).get("requestId").asText());
      assertThat(gateway.admin("GET", "/api/admin/logs/no-such-row", null).statusCode())
          .isEqualTo(404);
      assertThat(gateway.admin("GET", "/api/admin/logs?cursor=garbage!", null).statusCode())
          .isEqualTo(400);
    }

    @Test
    void logsFilterByKeyGroupModelProviderStatusAndTime() throws Exception {
      assertThat(count("key=" + keyA)).isEqualTo(6);
      assertThat(count("group=" + groupId)).isEqualTo(5);
      assertThat(count("model=metered")).isEqualTo(5);
      assertThat(count("provider=mock")).isEqualTo(REQUESTS);
      assertThat(count("status=error")).isEqualTo(2);
      assertThat(count("status=4xx")).isEqualTo(2);
      assertThat(count("status=200")).isEqualTo(9);
      assertThat(count("status=success")).isEqualTo(9);
      assertThat(count("from=2031-05-02")).isEqualTo(5);
      assertThat(count("to=2031-05-02")).isEqualTo(6);
      assertThat(count("key=" + keyB + "&model=metered&from=2031-05-02T00:00:00Z")).isEqualTo(2);
      assertThat(gateway.admin("GET", "/api/admin/logs?status=teapot", null).statusCode())
          .isEqualTo(400);
      assertThat(gateway.admin("GET", "/api/admin/logs?from=yesterday", null).statusCode())
          .isEqualTo(400);
    }

    @Test
    void spendTotalsEqualTheSumsOfTheLoggedRows() throws Exception {
      for (String groupBy : List.of("key", "model", "provider", "day", "group")) {
        JsonNode report = get("/api/admin/spend?groupBy=" + groupBy);
        Map<String, long[]> expected = sumsFromTheLog(groupBy, null, null);
        assertThat(report.get("data")).hasSize(expected.size());
        long costNanos = 0;
        long requests = 0;
        for (JsonNode entry : report.get("data")) {
          String group = entry.get("group").isNull() ? null : entry.get("group").asText();
          long[] sums = expected.get(group);
          assertThat(sums).as(groupBy + " " + group).isNotNull();
          assertThat(entry.get("requests").asLong()).isEqualTo(sums[0]);
          assertThat(entry.get("inputTokens").asLong()).isEqualTo(sums[1]);
          assertThat(entry.get("outputTokens").asLong()).isEqualTo(sums[2]);
          assertThat(entry.get("cachedTokens").asLong()).isEqualTo(sums[3]);
          assertThat(nanos(entry.get("cost"))).isEqualTo(sums[4]);
          costNanos += sums[4];
          requests += sums[0];
        }
        assertThat(report.get("total").get("requests").asLong())
            .isEqualTo(REQUESTS)
            .isEqualTo(requests);
        assertThat(nanos(report.get("total").get("cost"))).isEqualTo(costNanos).isPositive();
      }
      JsonNode days = get("/api/admin/spend?groupBy=day");
      assertThat(days.get("data"))
          .extracting(node -> node.get("group").asText())
          .containsExactlyInAnyOrder("2031-05-01", "2031-05-02");

      JsonNode secondDay = get("/api/admin/spend?groupBy=key&from=2031-05-02&to=2031-05-03");
      Map<String, long[]> expected =
          sumsFromTheLog("key", Instant.parse("2031-05-02T00:00:00Z"), null);
      long sum = expected.values().stream().mapToLong(sums -> sums[4]).sum();
      assertThat(nanos(secondDay.get("total").get("cost"))).isEqualTo(sum);
      assertThat(secondDay.get("total").get("requests").asLong()).isEqualTo(5);
      assertThat(gateway.admin("GET", "/api/admin/spend?groupBy=color", null).statusCode())
          .isEqualTo(400);
    }

    @Test
    void spendOverPartialDaysAddsTheRowsOfTheEdgesToWholeDays() throws Exception {
      String[][] ranges = {
        {"2031-05-01T12:00:00Z", "2031-05-02T16:00:00Z"},
        {"2031-04-30T12:00:00Z", "2031-05-02T16:00:00Z"},
        {"2031-05-01T08:59:59Z", "2031-05-01T09:00:01Z"},
        {"2031-05-02T15:00:00Z", null}
      };
      for (String[] range : ranges) {
        Instant from = Instant.parse(range[0]);
        Instant to = range[1] == null ? null : Instant.parse(range[1]);
        for (String groupBy : List.of("model", "day")) {
          JsonNode report =
              get(
                  "/api/admin/spend?groupBy="
                      + groupBy
                      + "&from="
                      + range[0]
                      + (to == null ? "" : "&to=" + range[1]));
          Map<String, long[]> expected = sumsFromTheLog(groupBy, from, to);
          long requests = expected.values().stream().mapToLong(sums -> sums[0]).sum();
          long cost = expected.values().stream().mapToLong(sums -> sums[4]).sum();
          assertThat(report.get("data")).as(groupBy + " " + range[0]).hasSize(expected.size());
          assertThat(report.get("total").get("requests").asLong()).isEqualTo(requests);
          assertThat(nanos(report.get("total").get("cost"))).isEqualTo(cost);
        }
      }
    }

    @Test
    void theCsvExportHoldsEveryMatchingRowAndItsCost() throws Exception {
      HttpResponse<String> export = gateway.admin("GET", "/api/admin/logs/export?format=csv", null);

      assertThat(export.statusCode()).isEqualTo(200);
      assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
      String[] lines = export.body().split("\n");
      assertThat(lines).hasSize(REQUESTS + 1);
      List<String> header = List.of(lines[0].split(","));
      int cost = header.indexOf("cost");
      assertThat(cost).isPositive();
      long total = 0;
      for (int i = 1; i < lines.length; i++) {
        String value = lines[i].split(",", -1)[cost];
        total += value.isEmpty() ? 0 : nanos(new BigDecimal(value));
      }
      long logged =
          sumsFromTheLog("provider", null, null).values().stream().mapToLong(sums -> sums[4]).sum();
      assertThat(total).isEqualTo(logged);

      HttpResponse<String> filtered =
          gateway.admin("GET", "/api/admin/logs/export?format=csv&key=" + keyB, null);
      assertThat(filtered.body().split("\n")).hasSize(5 + 1);
    }

    /** requests, input, output, cached tokens and cost per group, read from the table. */
    Map<String, long[]> sumsFromTheLog(String groupBy, Instant from, Instant to) throws Exception {
      Map<String, long[]> sums = new HashMap<>();
      try (Connection connection = db.connect();
          PreparedStatement select = connection.prepareStatement("SELECT * FROM request_logs");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          Instant at =
              database().equals("sqlite")
                  ? Instant.ofEpochMilli(rows.getLong("timestamp"))
                  : rows.getTimestamp("timestamp").toInstant();
          if (from != null && at.isBefore(from) || to != null && !at.isBefore(to)) {
            continue;
          }
          String group =
              switch (groupBy) {
                case "key" -> rows.getString("virtual_key_id");
                case "group" -> rows.getString("group_id");
                case "model" -> rows.getString("model");
                case "provider" -> rows.getString("provider");
                default -> at.toString().substring(0, 10);
              };
          long[] total = sums.computeIfAbsent(group, g -> new long[5]);
          total[0]++;
          total[1] += rows.getLong("input_tokens");
          total[2] += rows.getLong("output_tokens");
          total[3] += rows.getLong("cached_tokens");
          total[4] += rows.getLong("cost_nanos");
        }
      }
      return sums;
    }

    int count(String query) throws Exception {
      return get("/api/admin/logs?limit=500&" + query).get("data").size();
    }

    JsonNode get(String path) throws Exception {
      HttpResponse<String> response = gateway.admin("GET", path, null);
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
      return TestGateway.json(response.body());
    }

    void call(JsonNode key, String model, boolean stream) throws Exception {
      gateway.client(
          "POST",
          "/v1/chat/completions",
          key.get("key").asText(),
          "{\"model\":\""
              + model
              + "\",\"stream\":"
              + stream
              + ",\"max_tokens\":3,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    static long nanos(JsonNode dollars) {
      return nanos(dollars.decimalValue());
    }

    static long nanos(BigDecimal dollars) {
      return dollars.movePointRight(9).longValueExact();
    }
  }
}
