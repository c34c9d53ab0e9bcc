package dev.conduit.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.store.Database;
import dev.conduit.store.RequestLogEntry;
import dev.conduit.store.RequestLogRepository;
import dev.conduit.testing.RequestLogSeed;
import dev.conduit.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several request log writers on one queue, on a real PostgreSQL: rows submitted from many threads
 * at once are each written exactly once, and the daily rollups count each once, however the writers
 * split the batches and whichever commits first (their rollup upserts touch the same rows).
 */
class RequestLogWritersTest {
  private static final Instant AT = Instant.parse("2026-12-03T20:00:00Z");
  private static final int SUBMITTERS = 4;
  private static final int ROWS_EACH = 600;

  @Test
  void threeWritersWriteEveryRowOnceAndCountItOnce() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.postgres();
        Database database = RequestLogSeed.open(db)) {
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      // Small batches and no linger: many batches, so the writers interleave.
      RequestLogWriter writer =
          new RequestLogWriter(
              new RequestLogRepository(database), 3, 100_000, 7, 0, 5_000, metrics);
      assertThat(writerThreads()).contains("conduit-request-log-3");

      List<RequestLogEntry> all = new ArrayList<>();
      List<List<RequestLogEntry>> perSubmitter = new ArrayList<>();
      for (int i = 0; i < SUBMITTERS; i++) {
        // Every submitter's rows span the same hours (two UTC days) and the same two models.
        List<RequestLogEntry> rows = RequestLogSeed.rows("s" + i, AT, ROWS_EACH, "key-" + i % 2);
        perSubmitter.add(rows);
        all.addAll(rows);
      }
      ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (List<RequestLogEntry> rows : perSubmitter) {
          done.add(submitters.submit(() -> rows.forEach(writer::submit)));
        }
        for (Future<?> future : done) {
          future.get();
        }
      } finally {
        submitters.shutdown();
      }
      writer.close();

      long expectedCost = all.stream().mapToLong(RequestLogEntry::costNanos).sum();
      long expectedTokens = all.stream().mapToLong(RequestLogEntry::inputTokens).sum();
      assertThat(metrics.counter("conduit.request.log.written").count()).isEqualTo(all.size());
      assertThat(metrics.counter("conduit.request.log.dropped").count()).isZero();
      assertThat(writer.pending()).isZero();
      try (Connection connection = database.connection();
          Statement statement = connection.createStatement()) {
        assertThat(single(statement, "SELECT count(DISTINCT id) FROM request_logs"))
            .isEqualTo(all.size());
        assertThat(single(statement, "SELECT count(*) FROM request_logs")).isEqualTo(all.size());
        for (String dimension : List.of("key", "model", "provider", "group")) {
          String table = "request_log_daily_by_" + dimension;
          assertThat(single(statement, "SELECT sum(requests) FROM " + table))
              .as(table)
              .isEqualTo(all.size());
          assertThat(single(statement, "SELECT sum(cost_nanos) FROM " + table))
              .as(table)
              .isEqualTo(expectedCost);
          assertThat(single(statement, "SELECT sum(input_tokens) FROM " + table))
              .as(table)
              .isEqualTo(expectedTokens);
        }
        assertThat(single(statement, "SELECT count(*) FROM request_log_daily_by_key"))
            .as("two keys on two days")
            .isEqualTo(4);
      }
    }
  }

  private static List<String> writerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(name -> name.startsWith("conduit-request-log-"))
        .toList();
  }

  private static long single(Statement statement, String sql) throws Exception {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }
}
