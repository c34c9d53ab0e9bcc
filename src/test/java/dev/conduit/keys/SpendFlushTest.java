package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/**
 * Spend is added up in memory and written in batches, not per request, and a clean shutdown writes
 * what is left.
 */
class SpendFlushTest {

  @Test
  void spendIsWrittenInOneBatchAndNothingIsLostOnCleanShutdown() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.postgres()) {
      // No scheduled flush during the test: only the shutdown writes spend.
      TestGateway gateway =
          TestGateway.start(
              Yaml.withMock(mock, db.url(), null) + "spend:\n  flushIntervalMs: 3600000\n");
      String id;
      try {
        var key = gateway.createKey("{\"name\":\"batched\"}");
        id = key.get("id").asText();
        for (int i = 0; i < 25; i++) {
          assertThat(
                  gateway
                      .client(
                          "POST",
                          "/v1/chat/completions",
                          key.get("key").asText(),
                          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                      .statusCode())
              .isEqualTo(200);
        }
        Eventually.await("the request log rows", () -> RequestLogs.count(db), n -> n == 25);
        assertThat(query(db, "SELECT COUNT(*) FROM key_spend_daily")).isZero();
      } finally {
        gateway.close();
      }

      long logged = query(db, "SELECT SUM(cost_nanos) FROM request_logs");
      assertThat(logged).isEqualTo(25 * 53_750L);
      assertThat(query(db, "SELECT COUNT(*) FROM key_spend_daily WHERE key_id = '" + id + "'"))
          .isEqualTo(1);
      assertThat(query(db, "SELECT spend_nanos FROM key_spend_daily WHERE key_id = '" + id + "'"))
          .isEqualTo(logged);
      assertThat(query(db, "SELECT spend_nanos FROM key_spend_totals WHERE key_id = '" + id + "'"))
          .isEqualTo(logged);
    }
  }

  private static long query(TestDatabases.TestDatabase db, String sql) throws Exception {
    try (Connection connection = db.connect();
        PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
