package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MutableClock;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Budgets and group balances over real HTTP, on SQLite and on PostgreSQL, with the gateway's own
 * (in-process) counters and a clock the test moves.
 *
 * <p>The alias {@code metered} is priced at $0 input and $1,000 per million output tokens: the mock
 * always answers with 3 completion tokens, and every request sets {@code max_tokens: 3}, so each
 * request reserves and costs exactly $0.003.
 */
class BudgetTest {
  static final String REQUEST =
      "{\"model\":\"metered\",\"max_tokens\":3,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";

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
    final MutableClock clock = new MutableClock(Instant.parse("2031-03-12T10:00:00Z"));

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
      gateway.price("mock", "metered-model", "0", "1000");
    }

    @Test
    void aKeyOverItsBudgetGets402NamingTheBudgetAndItsResetUntilThePeriodEnds() throws Exception {
      String key = key("{\"name\":\"daily\",\"maxBudget\":0.009,\"budgetPeriod\":\"daily\"}");
      for (int i = 0; i < 3; i++) {
        assertThat(chat(key).statusCode()).isEqualTo(200);
      }

      HttpResponse<String> refused = chat(key);

      assertThat(refused.statusCode()).isEqualTo(402);
      JsonNode error = TestGateway.json(refused.body()).get("error");
      assertThat(error.get("type").asText()).isEqualTo("insufficient_quota");
      assertThat(error.get("code").asText()).isEqualTo("budget_exceeded");
      assertThat(error.has("param")).isTrue();
      assertThat(error.get("message").asText())
          .contains("daily budget of $0.009")
          .contains("$0.009 spent")
          .contains("(a lower max_tokens lowers that)")
          .contains("resets at 2031-03-13T00:00:00Z");

      clock.set(Instant.parse("2031-03-13T00:00:01Z"));
      try {
        assertThat(chat(key).statusCode()).isEqualTo(200);
      } finally {
        clock.set(Instant.parse("2031-03-12T10:00:00Z"));
      }
    }

    @Test
    void aMonthlyBudgetCountsEveryDayOfTheMonthAndResetsOnTheFirst() throws Exception {
      JsonNode created =
          gateway.createKey(
              "{\"name\":\"monthly\",\"maxBudget\":0.006,\"budgetPeriod\":\"monthly\"}");
      String key = created.get("key").asText();
      String id = created.get("id").asText();
      try {
        clock.set(Instant.parse("2031-03-12T10:00:00Z"));
        assertThat(chat(key).statusCode()).isEqualTo(200);
        clock.set(Instant.parse("2031-03-30T10:00:00Z"));
        assertThat(chat(key).statusCode()).isEqualTo(200);
        assertThat(chat(key).statusCode()).isEqualTo(402);

        JsonNode view =
            Eventually.await(
                "the key's spend",
                () ->
                    TestGateway.json(
                        gateway.admin("GET", "/api/admin/virtual-keys/" + id, null).body()),
                node -> node.get("spend").decimalValue().compareTo(new BigDecimal("0.006")) == 0);
        assertThat(view.get("budgetResetsAt").asText()).isEqualTo("2031-04-01T00:00:00Z");
        assertThat(view.get("totalSpend").decimalValue()).isEqualByComparingTo("0.006");

        clock.set(Instant.parse("2031-04-01T00:00:00Z"));
        assertThat(chat(key).statusCode()).isEqualTo(200);
      } finally {
        clock.set(Instant.parse("2031-03-12T10:00:00Z"));
      }
    }

    @Test
    void keysOfAGroupDrawOnItsBalanceAndATopUpLetsThemContinue() throws Exception {
      JsonNode group =
          json(
              gateway.admin(
                  "POST", "/api/admin/key-groups", "{\"name\":\"team-a\",\"balance\":0.006}"),
              201);
      String groupId = group.get("id").asText();
      String first = key("{\"name\":\"a1\",\"groupId\":\"" + groupId + "\"}");
      String second = key("{\"name\":\"a2\",\"groupId\":\"" + groupId + "\"}");

      assertThat(chat(first).statusCode()).isEqualTo(200);
      assertThat(chat(second).statusCode()).isEqualTo(200);
      HttpResponse<String> refused = chat(first);
      assertThat(refused.statusCode()).isEqualTo(402);
      JsonNode error = TestGateway.json(refused.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("balance_exhausted");
      assertThat(error.get("message").asText())
          .contains("key group 'team-a'")
          .contains("$0.00 left")
          .contains("does not reset");

      JsonNode adjusted =
          json(
              gateway.admin(
                  "POST",
                  "/api/admin/key-groups/" + groupId + "/adjust-balance",
                  "{\"amount\":0.003,\"reason\":\"top up\"}"),
              200);
      assertThat(adjusted.get("transaction").get("amount").decimalValue())
          .isEqualByComparingTo("0.003");
      assertThat(chat(second).statusCode()).isEqualTo(200);
      assertThat(chat(first).statusCode()).isEqualTo(402);

      JsonNode after =
          Eventually.await(
              "the group's spend to be written",
              () -> json(gateway.admin("GET", "/api/admin/key-groups/" + groupId, null), 200),
              node -> node.get("spend").decimalValue().compareTo(new BigDecimal("0.009")) == 0);
      assertThat(after.get("balance").decimalValue()).isEqualByComparingTo("0");
      assertThat(after.get("credits").decimalValue()).isEqualByComparingTo("0.009");
      // The group's spend above includes spend not yet flushed; the usage transaction is
      // written (and grows) with the flushes: wait until it carries all of it.
      JsonNode transactions =
          Eventually.await(
              "the usage transaction",
              () ->
                  json(
                      gateway.admin(
                          "GET", "/api/admin/key-groups/" + groupId + "/transactions", null),
                      200),
              node -> node.get("data").size() == 3 && amounts(node).signum() == 0);
      List<String> kinds = new ArrayList<>();
      BigDecimal sum = BigDecimal.ZERO;
      for (JsonNode transaction : transactions.get("data")) {
        kinds.add(transaction.get("kind").asText());
        sum = sum.add(transaction.get("amount").decimalValue());
      }
      assertThat(kinds).containsExactlyInAnyOrder("adjustment", "adjustment", "usage");
      assertThat(sum).isEqualByComparingTo("0");
    }

    private static BigDecimal amounts(JsonNode transactions) {
      BigDecimal sum = BigDecimal.ZERO;
      for (JsonNode transaction : transactions.get("data")) {
        sum = sum.add(transaction.get("amount").decimalValue());
      }
      return sum;
    }

    @Test
    void aGroupWithActiveKeysCannotBeDeleted() throws Exception {
      String groupId =
          json(gateway.admin("POST", "/api/admin/key-groups", "{\"name\":\"busy\"}"), 201)
              .get("id")
              .asText();
      key("{\"name\":\"member\",\"groupId\":\"" + groupId + "\"}");

      HttpResponse<String> refused =
          gateway.admin("DELETE", "/api/admin/key-groups/" + groupId, null);

      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(refused.body()).contains("key_group_in_use");
      assertThat(
              gateway
                  .admin(
                      "POST",
                      "/api/admin/virtual-keys",
                      "{\"name\":\"x\",\"groupId\":\"no-such-group\"}")
                  .statusCode())
          .isEqualTo(400);
    }

    @Test
    void twoHundredConcurrentRequestsAgainstABudgetForTenLetExactlyTenThrough() throws Exception {
      JsonNode created = gateway.createKey("{\"name\":\"burst\",\"maxBudget\":0.03}");
      String key = created.get("key").asText();
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(
            client.sendAsync(
                HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/chat/completions")))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(REQUEST))
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
      String id = created.get("id").asText();
      // Waits for all ten to be counted (not just the first), then checks none more was.
      JsonNode view =
          Eventually.await(
              "the key's spend",
              () ->
                  TestGateway.json(
                      gateway.admin("GET", "/api/admin/virtual-keys/" + id, null).body()),
              node ->
                  node.get("spend").decimalValue().compareTo(new java.math.BigDecimal("0.03"))
                      >= 0);
      assertThat(view.get("spend").decimalValue()).isEqualByComparingTo("0.03");
      assertThat(chat(key).statusCode()).isEqualTo(402);
    }

    @Test
    void theCostOfARequestComesFromItsUsageWithCachedTokensAtTheCachedPrice() throws Exception {
      // Seed price of openai gpt-4o: $2.50 input, $1.25 cached input, $10 output per million.
      // The mock reports 12 prompt tokens (5 of them cached) and 3 completion tokens:
      // 7 x 2.50 + 5 x 1.25 + 3 x 10 = 53.75 per million requests = $0.00005375.
      JsonNode created = gateway.createKey("{\"name\":\"cost\"}");
      String key = created.get("key").asText();
      HttpResponse<String> response =
          gateway.send(
              HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/chat/completions")))
                  .header("Authorization", "Bearer " + key)
                  .header("X-Request-ID", "cost-" + database()),
              "POST",
              "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("X-Conduit-Cost")).hasValue("0.00005375");
      Map<String, Object> row = RequestLogs.awaitRow(db, "cost-" + database());
      assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(53_750);

      HttpResponse<String> streamed =
          gateway.send(
              HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/chat/completions")))
                  .header("Authorization", "Bearer " + key)
                  .header("X-Request-ID", "cost-stream-" + database()),
              "POST",
              "{\"model\":\"gpt-4o\",\"stream\":true,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(streamed.statusCode()).isEqualTo(200);
      assertThat(streamed.headers().firstValue("X-Conduit-Cost")).isEmpty();
      Map<String, Object> streamedRow = RequestLogs.awaitRow(db, "cost-stream-" + database());
      assertThat(RequestLogs.number(streamedRow, "cost_nanos")).isEqualTo(53_750);

      String metrics = gateway.client("GET", "/metrics", null, null).body();
      assertThat(metrics)
          .contains("conduit_llm_cost_usd_total{model=\"gpt-4o\",provider=\"mock\"}");
      // The key's spend this period (all time: it has no budget), by id and never by secret.
      String gauge =
          "conduit_virtual_key_spend_usd{key_id=\"" + created.get("id").asText() + "\"} 1.075E-4";
      String withGauge =
          Eventually.await(
              "the key's spend gauge",
              () -> gateway.client("GET", "/metrics", null, null).body(),
              body -> body.contains(gauge));
      assertThat(withGauge).doesNotContain(key);
    }

    @Test
    void aFailedRequestReleasesItsReservationAndCostsNothing() throws Exception {
      String key = key("{\"name\":\"failing\",\"maxBudget\":0.003}");
      // fail-503 is unpriced: a spend-limited key may not use an unpriced model.
      HttpResponse<String> unpriced =
          gateway.client(
              "POST",
              "/v1/chat/completions",
              key,
              "{\"model\":\"fail-503\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(unpriced.statusCode()).isEqualTo(403);
      assertThat(unpriced.body()).contains("model_not_priced");

      gateway.price("mock", "fail-503", "0", "1000");
      for (int i = 0; i < 3; i++) {
        assertThat(
                gateway
                    .client(
                        "POST",
                        "/v1/chat/completions",
                        key,
                        "{\"model\":\"fail-503\",\"max_tokens\":3,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .statusCode())
            .isEqualTo(503);
      }
      // Each failure released its $0.003 reservation: the whole budget is still there.
      assertThat(chat(key).statusCode()).isEqualTo(200);
      assertThat(chat(key).statusCode()).isEqualTo(402);
    }

    String key(String body) throws Exception {
      return gateway.createKey(body).get("key").asText();
    }

    HttpResponse<String> chat(String key) throws Exception {
      return gateway.client("POST", "/v1/chat/completions", key, REQUEST);
    }

    static JsonNode json(HttpResponse<String> response, int status) throws Exception {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
      return TestGateway.json(response.body());
    }
  }
}
