package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.store.Database;
import dev.conduit.store.RequestLogEntry;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogSeed;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spend lost on kill -9 (issue 11 item 9): request log rows whose cost never reached the spend
 * tables (written here with JDBC, as a crashed instance leaves them) are counted at the next start,
 * once: a second start adds nothing.
 */
class SpendRecoveryTest {
  static final String CHAT =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void startReconcilesKeyAndGroupSpendWithTheRequestLog(String kind) throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.create(kind)) {
      String yaml = Yaml.withMock(mock, db.url(), null);
      String budgeted;
      String unlimited;
      String groupId;
      BigDecimal counted;
      try (TestGateway first = TestGateway.start(yaml)) {
        groupId =
            TestGateway.json(
                    first
                        .admin("POST", "/api/admin/key-groups", "{\"name\":\"g\",\"balance\":100}")
                        .body())
                .get("id")
                .asText();
        JsonNode a =
            first.createKey(
                "{\"name\":\"a\",\"maxBudget\":50,\"budgetPeriod\":\"monthly\",\"groupId\":\""
                    + groupId
                    + "\"}");
        JsonNode b = first.createKey("{\"name\":\"b\"}");
        budgeted = a.get("id").asText();
        unlimited = b.get("id").asText();
        for (int i = 0; i < 2; i++) {
          assertThat(
                  first
                      .client("POST", "/v1/chat/completions", a.get("key").asText(), CHAT)
                      .statusCode())
              .isEqualTo(200);
        }
      }
      // The clean shutdown wrote the two requests' spend.
      counted = keySpend(db, yaml, budgeted);
      assertThat(counted).isPositive();

      // The crash: rows in the log whose cost never reached key_spend_* or key_groups.
      List<RequestLogEntry> lost = new ArrayList<>();
      Instant now = Instant.now();
      lost.addAll(crashed("lost-a", now, 3, budgeted, groupId, 1_000_000L));
      lost.addAll(crashed("lost-b", now, 2, unlimited, null, 500_000L));
      try (Database database = RequestLogSeed.open(db)) {
        RequestLogSeed.write(database, lost);
      }

      BigDecimal expectedA = counted.add(new BigDecimal("0.003"));
      for (int start = 0; start < 2; start++) {
        try (TestGateway gateway = TestGateway.start(yaml)) {
          JsonNode a =
              TestGateway.json(
                  gateway.admin("GET", "/api/admin/virtual-keys/" + budgeted, null).body());
          JsonNode b =
              TestGateway.json(
                  gateway.admin("GET", "/api/admin/virtual-keys/" + unlimited, null).body());
          JsonNode g =
              TestGateway.json(
                  gateway.admin("GET", "/api/admin/key-groups/" + groupId, null).body());
          assertThat(a.get("spend").decimalValue())
              .as("start %d", start)
              .isEqualByComparingTo(expectedA);
          assertThat(a.get("totalSpend").decimalValue())
              .as("start %d", start)
              .isEqualByComparingTo(expectedA);
          assertThat(b.get("totalSpend").decimalValue())
              .as("start %d", start)
              .isEqualByComparingTo("0.001");
          assertThat(g.get("spend").decimalValue())
              .as("start %d", start)
              .isEqualByComparingTo(expectedA);
          assertThat(g.get("balance").decimalValue())
              .as("start %d", start)
              .isEqualByComparingTo(new BigDecimal(100).subtract(expectedA));
        }
      }
    }
  }

  private static BigDecimal keySpend(TestDatabases.TestDatabase db, String yaml, String keyId)
      throws Exception {
    try (TestGateway gateway = TestGateway.start(yaml)) {
      return TestGateway.json(gateway.admin("GET", "/api/admin/virtual-keys/" + keyId, null).body())
          .get("totalSpend")
          .decimalValue();
    }
  }

  private static List<RequestLogEntry> crashed(
      String prefix, Instant at, int count, String keyId, String groupId, long costNanos) {
    List<RequestLogEntry> rows = new ArrayList<>();
    for (RequestLogEntry row : RequestLogSeed.rows(prefix, at, count, keyId)) {
      rows.add(
          new RequestLogEntry(
              row.id(),
              at,
              row.requestId(),
              keyId,
              row.endpoint(),
              row.model(),
              row.provider(),
              row.providerModel(),
              200,
              false,
              row.inputTokens(),
              row.outputTokens(),
              0,
              row.latencyMs(),
              row.ttfbMs(),
              1,
              null,
              null,
              costNanos,
              groupId));
    }
    return rows;
  }
}
