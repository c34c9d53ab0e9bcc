package dev.conduit.jmh;

import dev.conduit.config.DatabaseConfig;
import dev.conduit.core.Ids;
import dev.conduit.store.Database;
import dev.conduit.store.RequestLogEntry;
import dev.conduit.store.RequestLogRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The request log writer's work for one row (on SQLite, or PostgreSQL), in batches of the size the
 * writer forms under load: a cache hit's row, as bench/run.sh's cache scenario writes them. Per
 * row, so it reads as the gateway's CPU per request spent on the log.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestLogWriteBenchmark {
  private static final int BATCH = 600;
  private static final String POSTGRES_SERVER = "jdbc:postgresql://127.0.0.1:5432/";

  /**
   * The schema as migrated ({@code migrated}), or a variant to compare: {@code timeAndKey} keeps
   * only the time and key indexes, {@code primaryKeyOnly} none but the primary key's.
   */
  @Param({"migrated"})
  public String schema;

  /** {@code sqlite} (a new file), or {@code postgresql} (a new database on 127.0.0.1:5432). */
  @Param({"sqlite"})
  public String store;

  private String postgresDatabase;

  private Path directory;
  private Database database;
  private RequestLogRepository repository;

  @Setup(Level.Trial)
  public void open() throws Exception {
    directory = Files.createTempDirectory("conduit-jmh-log");
    String url = "jdbc:sqlite:" + directory.resolve("log.db");
    String user = null;
    if (store.equals("postgresql")) {
      postgresDatabase = "conduit_jmh_" + ProcessHandle.current().pid();
      postgres("CREATE DATABASE " + postgresDatabase);
      url = POSTGRES_SERVER + postgresDatabase;
      user = "postgres";
    }
    database = Database.open(new DatabaseConfig(url, user, null, 4), new SimpleMeterRegistry());
    List<String> dropped =
        switch (schema) {
          case "migrated" -> List.of();
          case "timeAndKey" -> List.of("group_time", "model_time", "provider_time");
          case "primaryKeyOnly" ->
              List.of("time_id", "key_time", "group_time", "model_time", "provider_time");
          default -> throw new IllegalArgumentException("unknown schema " + schema);
        };
    try (Connection connection = database.connection();
        Statement statement = connection.createStatement()) {
      for (String index : dropped) {
        statement.execute("DROP INDEX idx_request_logs_" + index);
      }
    }
    repository = new RequestLogRepository(database);
  }

  /**
   * Each benchmark thread's own batch: with {@code -t 2 -bm thrpt} two writers insert at once, as
   * {@code requestLog.writers: 2} does, and the score is their rows a second together.
   */
  @State(Scope.Thread)
  public static class Batch {
    final List<RequestLogEntry> rows = new ArrayList<>(BATCH);

    @Setup(Level.Invocation)
    public void fill() {
      rows.clear();
      for (int i = 0; i < BATCH; i++) {
        rows.add(row());
      }
    }
  }

  private static RequestLogEntry row() {
    return new RequestLogEntry(
        Ids.uuid7(),
        Instant.now(),
        Ids.uuid7(),
        "0193a5b4-7c1d-7e2f-8a3b-4c5d6e7f8091",
        "/v1/chat/completions",
        "gpt-4o-mini",
        "openai",
        "gpt-4o-mini",
        200,
        false,
        12,
        14,
        0,
        0,
        null,
        0,
        null,
        null,
        0L,
        null,
        true,
        26_000L);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void insertBatch(Batch batch) throws SQLException {
    repository.insertBatch(batch.rows);
  }

  private static void postgres(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(POSTGRES_SERVER + "postgres", "postgres", null);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    database.close();
    if (postgresDatabase != null) {
      postgres("DROP DATABASE " + postgresDatabase);
    }
    try (var files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
