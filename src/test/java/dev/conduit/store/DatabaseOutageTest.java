package dev.conduit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The database goes away (PostgreSQL refuses connections and drops the open ones) while requests
 * keep coming: requests still succeed, health says degraded, and once the database is back every
 * log row is written. None is lost.
 */
class DatabaseOutageTest {
  private static final int REQUESTS_DURING_OUTAGE = 25;

  @Test
  void requestsSucceedDuringAnOutageAndNoLogRowIsLost() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.postgres();
        TestGateway gateway = TestGateway.start(Yaml.withMock(mock, db.url(), null))) {
      String key = gateway.newKey();
      String name = db.url().substring(db.url().lastIndexOf('/') + 1);
      List<String> requestIds = new ArrayList<>();
      String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

      setOutage(name, true);
      try {
        for (int i = 0; i < REQUESTS_DURING_OUTAGE; i++) {
          HttpResponse<String> response = gateway.client("POST", "/v1/chat/completions", key, body);
          assertThat(response.statusCode()).isEqualTo(200);
          requestIds.add(response.headers().firstValue("X-Request-ID").orElseThrow());
        }
        Eventually.await(
            "health to report the database down",
            () -> TestGateway.json(gateway.client("GET", "/health/ready", null, null).body()),
            ready ->
                ready.path("status").asText().equals("degraded")
                    && ready
                        .path("checks")
                        .path("database")
                        .path("status")
                        .asText()
                        .equals("down"));
        assertThat(gateway.client("GET", "/health/ready", null, null).statusCode()).isEqualTo(200);
      } finally {
        setOutage(name, false);
      }

      Eventually.await(
          "every log row written after the outage",
          () -> RequestLogs.count(db),
          count -> count >= REQUESTS_DURING_OUTAGE);
      for (String requestId : requestIds) {
        assertThat(RequestLogs.find(db, requestId)).as(requestId).isNotNull();
      }
      assertThat(RequestLogs.count(db)).isEqualTo(REQUESTS_DURING_OUTAGE);
    }
  }

  /** Makes the database refuse new connections and drops the existing ones, or undoes that. */
  private static void setOutage(String database, boolean down) throws Exception {
    try (Connection admin =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", TestDatabases.PG_USER, null);
        Statement statement = admin.createStatement()) {
      statement.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + !down);
      if (down) {
        statement.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE datname = '"
                + database
                + "'");
      }
    }
  }
}
