package dev.conduit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.ExternalTool;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/backup.sh} backs up a gateway's PostgreSQL database; the runbook's restore command
 * ({@code gunzip -c FILE | psql}) loads it into a fresh database; a gateway started on that one
 * serves the same keys, balances, request logs and spend, and the old keys still work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupRestoreTest extends GatewayOnMock {
  private static final String INSTALL = "apt-get install postgresql-client";

  @Override
  protected String database() {
    return "postgresql";
  }

  @Test
  void aBackupRestoredWithTheRunbooksCommandServesTheSameData(@TempDir Path backups)
      throws Exception {
    ExternalTool.require("pg_dump", INSTALL);
    ExternalTool.require("psql", INSTALL);
    gateway.price("mock", "gpt-4o", "1", "2");
    JsonNode group =
        TestGateway.json(
            gateway
                .admin("POST", "/api/admin/key-groups", "{\"name\":\"team\",\"balance\":5}")
                .body());
    JsonNode key =
        gateway.createKey(
            "{\"name\":\"in-group\",\"groupId\":\"" + group.path("id").asText() + "\"}");
    String other = gateway.newKey();
    for (String caller : List.of(key.path("key").asText(), other, other)) {
      HttpResponse<String> answer = chat(gateway, caller);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
    Eventually.await(
        "three logged requests and the group's spend written",
        () -> state(gateway),
        state ->
            state.get("logs").path("data").size() == 3
                && state.get("groups").path("data").get(0).path("spend").decimalValue().signum()
                    > 0);
    // The admin API counts spend not yet flushed; the backup must find it in the database.
    Eventually.await(
        "the spend flushed to the database",
        this::flushedSpendNanos,
        nanos -> nanos.equals(List.of(54_000L, 18_000L)));
    Map<String, JsonNode> before = state(gateway);

    Path script = Path.of("scripts", "backup.sh").toAbsolutePath();
    String dbName = db.url().substring(db.url().lastIndexOf('/') + 1);
    ExternalTool.Result backup =
        ExternalTool.run(
                null,
                Map.of(
                    "PGHOST",
                    "127.0.0.1",
                    "PGPORT",
                    "5432",
                    "PGUSER",
                    TestDatabases.PG_USER,
                    "PGDATABASE",
                    dbName),
                null,
                "bash",
                script.toString(),
                backups.toString())
            .ok();
    Path file;
    try (Stream<Path> files = Files.list(backups)) {
      file = files.findFirst().orElseThrow();
    }
    assertThat(file.getFileName().toString()).matches("conduit-\\d{8}-\\d{6}\\.sql\\.gz");
    assertThat(backup.output()).contains(file.getFileName().toString());

    try (TestDatabases.TestDatabase restored = TestDatabases.postgres()) {
      String restoredName = restored.url().substring(restored.url().lastIndexOf('/') + 1);
      // The runbook: gunzip -c FILE | psql -U conduit (here the test server's user and host).
      ExternalTool.Result restore =
          ExternalTool.run(
                  null,
                  "bash",
                  "-c",
                  "gunzip -c \""
                      + file
                      + "\" | psql -U "
                      + TestDatabases.PG_USER
                      + " -h 127.0.0.1 -d "
                      + restoredName)
              .ok();
      assertThat(restore.output()).doesNotContain("ERROR");

      try (TestGateway second = TestGateway.start(Yaml.withMock(mock, restored.url(), null))) {
        assertThat(state(second)).isEqualTo(before);
        HttpResponse<String> answer = chat(second, key.path("key").asText());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      }
    }
  }

  /** The keys' and the groups' spend as the database holds it, in nano-dollars. */
  private List<Long> flushedSpendNanos() throws SQLException {
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet sums =
            statement.executeQuery(
                "SELECT (SELECT COALESCE(SUM(spend_nanos), 0) FROM key_spend_totals),"
                    + " (SELECT COALESCE(SUM(spend_nanos), 0) FROM key_groups)")) {
      sums.next();
      return List.of(sums.getLong(1), sums.getLong(2));
    }
  }

  private static HttpResponse<String> chat(TestGateway gateway, String key) throws Exception {
    return gateway.client(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  /** What an operator sees of keys, balances, logs and spend through the admin API. */
  private static Map<String, JsonNode> state(TestGateway gateway) throws Exception {
    return Map.of(
        "keys", get(gateway, "/api/admin/virtual-keys?limit=100"),
        "groups", get(gateway, "/api/admin/key-groups"),
        "logs", get(gateway, "/api/admin/logs?limit=100"),
        "spend", get(gateway, "/api/admin/spend?groupBy=key"));
  }

  private static JsonNode get(TestGateway gateway, String path) throws Exception {
    HttpResponse<String> response = gateway.admin("GET", path, null);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return TestGateway.json(response.body());
  }
}
