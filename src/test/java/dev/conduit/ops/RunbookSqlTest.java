package dev.conduit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.store.Database;
import dev.conduit.testing.RequestLogSeed;
import dev.conduit.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every SQL statement of the runbook runs as written on a PostgreSQL database that Conduit migrated
 * and filled: the {@code sql} blocks and the statements it passes to {@code psql -c}. Where the
 * runbook is wrong about PostgreSQL (the unused-index query's column names) the test expects the
 * error, and runs the corrected query docs/operations.md gives instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunbookSqlTest {
  private static final Pattern SQL_BLOCK = Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PSQL_COMMAND = Pattern.compile("psql -U \\w+ -c\\s+\"([^\"]+)\"");

  private static final int OLD_ROWS = 40;
  private static final int RECENT_ROWS = 25;

  private TestDatabases.TestDatabase db;
  private String dbName;

  @BeforeAll
  void migrateAndFill() throws Exception {
    db = TestDatabases.postgres();
    dbName = db.url().substring(db.url().lastIndexOf('/') + 1);
    Instant now = Instant.now();
    try (Database database = RequestLogSeed.open(db)) {
      RequestLogSeed.write(
          database, RequestLogSeed.rows("old", now.minus(Duration.ofDays(120)), OLD_ROWS, "key-a"));
      RequestLogSeed.write(
          database,
          RequestLogSeed.rows("new", now.minus(Duration.ofDays(2)), RECENT_ROWS, "key-a"));
    }
  }

  @AfterAll
  void drop() throws Exception {
    db.close();
  }

  @Test
  void everyStatementOfTheRunbookRunsOnConduitsSchema() throws Exception {
    List<String> statements = runbookStatements();
    assertThat(statements)
        .anyMatch(s -> s.startsWith("VACUUM ANALYZE"))
        .anyMatch(s -> s.contains("pg_total_relation_size"))
        .anyMatch(s -> s.contains("FROM pg_stat_user_indexes"))
        .anyMatch(s -> s.startsWith("REINDEX TABLE request_logs"))
        .anyMatch(s -> s.startsWith("INSERT INTO request_logs_archive"))
        .anyMatch(s -> s.startsWith("DELETE FROM request_logs"))
        .anyMatch(s -> s.contains("FROM pg_stat_statements"))
        .anyMatch(s -> s.startsWith("CREATE INDEX CONCURRENTLY idx_request_logs_timestamp"))
        .anyMatch(s -> s.startsWith("ANALYZE request_logs"))
        .anyMatch(s -> s.contains("pg_terminate_backend"))
        .anyMatch(s -> s.startsWith("SHOW max_connections"));

    List<String> ran = new ArrayList<>();
    for (String statement : statements) {
      if (statement.startsWith("ALTER SYSTEM")) {
        // Raises max_connections of the whole server at its next restart: not run on a server
        // other tests share. It needs a superuser, as the runbook's `psql -U postgres` says.
        continue;
      }
      String sql = statement;
      if (sql.contains("pg_terminate_backend")) {
        // As written it ends idle sessions of the database named conduit; here, of this test's.
        sql = sql.replace("datname = 'conduit'", "datname = '" + dbName + "'");
      }
      Outcome outcome = run(sql);
      String what = statement + " -> " + outcome;
      if (statement.contains("FROM pg_stat_user_indexes") && statement.contains("tablename")) {
        // pg_stat_user_indexes names them relname and indexrelname.
        assertThat(outcome.error()).as(what).contains("column \"tablename\" does not exist");
      } else if (statement.contains("FROM pg_stat_statements")) {
        // Rows need the library preloaded (the Kubernetes postgres does); the view exists.
        if (outcome.error() != null) {
          assertThat(outcome.error()).as(what).contains("shared_preload_libraries");
        }
      } else if (statement.startsWith("CREATE INDEX CONCURRENTLY")) {
        if (outcome.error() != null) {
          assertThat(outcome.error()).as(what).contains("already exists");
        }
      } else {
        assertThat(outcome.error()).as(what).isNull();
      }
      if (statement.contains("pg_total_relation_size")) {
        assertThat(outcome.firstColumn(2))
            .as(what)
            .contains("request_logs", "request_logs_archive");
      }
      ran.add(statement);
    }
    assertThat(ran).hasSize(statements.size() - 1);

    // The archive pair moved exactly the rows older than 90 days.
    assertThat(count("SELECT count(*) FROM request_logs_archive")).isEqualTo(OLD_ROWS);
    assertThat(count("SELECT count(*) FROM request_logs")).isEqualTo(RECENT_ROWS);
    assertThat(
            count("SELECT count(*) FROM request_logs_archive a JOIN request_logs l ON a.id = l.id"))
        .isZero();
    // The index exists now, whichever way the statement went.
    assertThat(
            run("CREATE INDEX CONCURRENTLY idx_request_logs_timestamp ON request_logs(timestamp)")
                .error())
        .contains("already exists");
  }

  @Test
  void theCorrectedUnusedIndexQueryOfTheOperationsGuideLists() throws Exception {
    String docs = Files.readString(Path.of("docs", "operations.md"));
    Matcher block = SQL_BLOCK.matcher(docs);
    String corrected = null;
    while (block.find()) {
      if (block.group(1).contains("indexrelname")) {
        corrected = block.group(1);
      }
    }
    assertThat(corrected).as("docs/operations.md gives the corrected query").isNotNull();
    Outcome outcome = run(stripComments(corrected).replaceAll(";\\s*$", ""));
    assertThat(outcome.error()).isNull();
    // A fresh database has scanned few of its indexes: the archive's are all unused.
    assertThat(outcome.firstColumn(2)).contains("request_logs_archive");
  }

  @Test
  void theIdleConnectionQueryEndsIdleSessionsOfTheDatabase() throws Exception {
    String runbookQuery =
        runbookStatements().stream()
            .filter(s -> s.contains("pg_terminate_backend"))
            .findFirst()
            .orElseThrow();
    try (Connection idle = db.connect()) {
      idle.createStatement().execute("SELECT 1");
      // The runbook's query with its five minutes shortened to none, on this test's database.
      Outcome outcome =
          run(
              runbookQuery
                  .replace("datname = 'conduit'", "datname = '" + dbName + "'")
                  .replace("INTERVAL '5 minutes'", "INTERVAL '0 seconds'"));
      assertThat(outcome.error()).isNull();
      assertThat(outcome.rows()).isNotEmpty();
      assertThat(idle.isValid(2)).as("the idle session was ended").isFalse();
    }
  }

  /** The SQL statements of the runbook, in order, without comments. */
  static List<String> runbookStatements() throws Exception {
    String runbook = AlertRulesTest.runbook();
    List<String> statements = new ArrayList<>();
    Matcher psql = PSQL_COMMAND.matcher(runbook.replaceAll("\\\\\n\\s*", " "));
    while (psql.find()) {
      statements.add(psql.group(1).trim().replaceAll(";$", ""));
    }
    Matcher block = SQL_BLOCK.matcher(runbook);
    while (block.find()) {
      for (String statement : stripComments(block.group(1)).split(";")) {
        String text = statement.trim().replaceAll("\\s+", " ");
        if (!text.isEmpty()) {
          statements.add(text);
        }
      }
    }
    return statements;
  }

  private static String stripComments(String sql) {
    return sql.replaceAll("(?m)--.*$", "");
  }

  /** What a statement did: its rows (as text), or the error PostgreSQL gave. */
  private record Outcome(List<List<String>> rows, String error) {
    List<String> firstColumn(int column) {
      List<String> values = new ArrayList<>();
      for (List<String> row : rows) {
        values.add(row.get(column - 1));
      }
      return values;
    }
  }

  private Outcome run(String sql) throws SQLException {
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement()) {
      List<List<String>> rows = new ArrayList<>();
      if (statement.execute(sql)) {
        try (ResultSet result = statement.getResultSet()) {
          int columns = result.getMetaData().getColumnCount();
          while (result.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= columns; i++) {
              row.add(result.getString(i));
            }
            rows.add(row);
          }
        }
      }
      return new Outcome(rows, null);
    } catch (SQLException e) {
      return new Outcome(List.of(), e.getMessage());
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }
}
