package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.store.Database;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.RequestLogSeed;
import dev.conduit.testing.TestGateway;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code conduit archive --older-than 90d} on a database a running gateway uses: it moves exactly
 * the old rows, in batches; spend totals, balances and daily rollups stay as they were; the admin
 * analytics read the live log by default and the archive too with {@code ?includeArchive=true}; and
 * a run killed half-way loses and duplicates nothing once run again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ArchiveCommandContract extends GatewayOnMock {
  static final List<String> ROLLUPS =
      List.of(
          "request_log_daily_by_key",
          "request_log_daily_by_group",
          "request_log_daily_by_model",
          "request_log_daily_by_provider");

  /** Limit for what waits on a JVM of its own to start. */
  static final Duration PROCESS_START = Duration.ofMinutes(2);

  /**
   * A configuration file naming only the test database, for the command line; {@code urlParameters}
   * are added to its JDBC URL.
   */
  String config(String urlParameters) throws Exception {
    Path file = Files.createTempFile("conduit-archive", ".yaml");
    Files.writeString(
        file,
        "database:\n  url: \""
            + db.url()
            + urlParameters
            + "\"\n"
            + (db.username() == null ? "" : "  username: " + db.username() + "\n"));
    return file.toString();
  }

  /** Runs {@code conduit args...} in this JVM; returns the exit code and what it printed. */
  static Run conduit(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine command = Main.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int code = command.execute(args);
    return new Run(code, out + err.toString());
  }

  record Run(int code, String output) {}

  /** {@code conduit args...} as its own process (a JVM this test can kill). */
  static Process conduitProcess(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  @Test
  void archiveMovesTheOldRowsAndSpendReportsKeepTheirTotals() throws Exception {
    gateway.price("mock", "gpt-4o", "1", "2");
    JsonNode key = gateway.createKey("{\"name\":\"archived\"}");
    String keyId = key.path("id").asText();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> answer =
          gateway.client(
              "POST",
              "/v1/chat/completions",
              key.path("key").asText(),
              "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
    Eventually.await(
        "three live rows and their spend",
        () ->
            TestGateway.json(gateway.admin("GET", "/api/admin/virtual-keys/" + keyId, null).body())
                        .path("spend")
                        .decimalValue()
                        .signum()
                    > 0
                && logs(keyId, false).size() == 3,
        done -> done);
    try (Database database = RequestLogSeed.open(db)) {
      RequestLogSeed.write(
          database,
          RequestLogSeed.rows(
              "old-" + db.kind(), Instant.now().minus(Duration.ofDays(120)), 30, keyId));
    }
    JsonNode spendBefore = spend(keyId, false);
    assertThat(spendBefore.path("total").path("requests").asLong()).isEqualTo(33);
    String keyBefore = keyView(keyId);
    List<String> rollupsBefore = rollups();

    Run run = conduit("archive", "--older-than", "90d", "--batch-size", "7", "-c", path());
    assertThat(run.code()).as(run.output()).isZero();
    assertThat(run.output()).contains("Archived 30 request log rows");

    assertThat(ids("request_logs_archive", keyId)).hasSize(30);
    assertThat(logs(keyId, false)).hasSize(3);
    assertThat(logs(keyId, true)).hasSize(33);
    String oldId = "old-" + db.kind() + "-000000";
    assertThat(gateway.admin("GET", "/api/admin/logs/" + oldId, null).statusCode()).isEqualTo(404);
    HttpResponse<String> archived =
        gateway.admin("GET", "/api/admin/logs/" + oldId + "?includeArchive=true", null);
    assertThat(archived.statusCode()).isEqualTo(200);
    assertThat(TestGateway.json(archived.body()).path("keyId").asText()).isEqualTo(keyId);
    String csv =
        gateway
            .admin("GET", "/api/admin/logs/export?key=" + keyId + "&includeArchive=true", null)
            .body();
    assertThat(csv.strip().split("\n")).hasSize(1 + 33);

    // Spend: with the archive, every figure as before; without it, the live log only.
    assertThat(spend(keyId, true).path("data")).isEqualTo(spendBefore.path("data"));
    assertThat(spend(keyId, true).path("total")).isEqualTo(spendBefore.path("total"));
    assertThat(spend(keyId, false).path("total").path("requests").asLong()).isEqualTo(3);
    assertThat(keyView(keyId)).isEqualTo(keyBefore);
    assertThat(rollups()).isEqualTo(rollupsBefore);

    Run again = conduit("archive", "--older-than", "90d", "-c", path());
    assertThat(again.code()).as(again.output()).isZero();
    assertThat(again.output()).contains("Archived 0 request log rows");
    assertThat(
            gateway
                .admin("GET", "/api/admin/spend?groupBy=key&includeArchive=maybe", null)
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void badArgumentsAreRefusedWithAMessage() throws Exception {
    Run run = conduit("archive", "--older-than", "90 days", "-c", path());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.output()).contains("--older-than takes days or hours");
    assertThat(conduit("archive", "-c", path()).code()).isEqualTo(2);
  }

  /**
   * Seeds {@code count} old rows of a key of their own, kills an archive run part-way (how depends
   * on the database), checks that every row is in exactly one of the two tables, then runs it again
   * to the end.
   */
  void checkKilledRunLosesAndDuplicatesNothing(String prefix, int count, Interrupt interrupt)
      throws Exception {
    try (Database database = RequestLogSeed.open(db)) {
      RequestLogSeed.write(
          database,
          RequestLogSeed.rows(prefix, Instant.now().minus(Duration.ofDays(200)), count, prefix));
    }
    List<String> rollupsBefore = rollups();
    Set<String> seeded = ids("request_logs", prefix);
    assertThat(seeded).hasSize(count);

    long archivedAtKill = interrupt.killPartWay();
    assertThat(archivedAtKill).isLessThan(count);
    Set<String> live = ids("request_logs", prefix);
    Set<String> archive = ids("request_logs_archive", prefix);
    assertThat(archive).hasSize((int) archivedAtKill);
    assertThat(live).doesNotContainAnyElementsOf(archive);
    Set<String> both = new HashSet<>(live);
    both.addAll(archive);
    assertThat(both).isEqualTo(seeded);

    Run rest = conduit("archive", "--older-than", "90d", "--batch-size", "10", "-c", path());
    assertThat(rest.code()).as(rest.output()).isZero();
    assertThat(ids("request_logs", prefix)).isEmpty();
    assertThat(ids("request_logs_archive", prefix)).isEqualTo(seeded);
    assertThat(rollups()).isEqualTo(rollupsBefore);
  }

  /** Stops an archive run part-way; returns the rows the archive held when it stopped. */
  @FunctionalInterface
  interface Interrupt {
    long killPartWay() throws Exception;
  }

  static void kill(Process process) throws InterruptedException {
    process.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback from the client
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  String path() throws Exception {
    return config("");
  }

  private List<JsonNode> logs(String keyId, boolean includeArchive) throws Exception {
    JsonNode page =
        TestGateway.json(
            gateway
                .admin(
                    "GET",
                    "/api/admin/logs?limit=100&key="
                        + keyId
                        + (includeArchive ? "&includeArchive=true" : ""),
                    null)
                .body());
    List<JsonNode> rows = new ArrayList<>();
    page.path("data").forEach(rows::add);
    return rows;
  }

  private JsonNode spend(String keyId, boolean includeArchive) throws Exception {
    HttpResponse<String> response =
        gateway.admin(
            "GET",
            "/api/admin/spend?groupBy=day&key="
                + keyId
                + (includeArchive ? "&includeArchive=true" : ""),
            null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return TestGateway.json(response.body());
  }

  /** The key as the admin API shows it, without the fields that move by themselves. */
  private String keyView(String keyId) throws Exception {
    JsonNode view =
        TestGateway.json(gateway.admin("GET", "/api/admin/virtual-keys/" + keyId, null).body());
    return view.path("spend").asText() + " " + view.path("totalSpend").asText();
  }

  List<String> rollups() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      for (String table : ROLLUPS) {
        try (ResultSet result =
            statement.executeQuery(
                "SELECT dimension, day, requests, input_tokens, output_tokens, cached_tokens, "
                    + "cost_nanos FROM "
                    + table
                    + " ORDER BY dimension, day")) {
          while (result.next()) {
            StringBuilder row = new StringBuilder(table);
            for (int i = 1; i <= 7; i++) {
              row.append(' ').append(result.getString(i));
            }
            rows.add(row.toString());
          }
        }
      }
    }
    return rows;
  }

  Set<String> ids(String table, String prefix) throws Exception {
    Set<String> ids = new HashSet<>();
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT id FROM " + table + " WHERE virtual_key_id = '" + prefix + "'")) {
      while (result.next()) {
        ids.add(result.getString(1));
      }
    }
    return ids;
  }
}
