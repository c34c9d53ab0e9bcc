package dev.conduit.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.store.Database;
import dev.conduit.store.RequestLogEntry;
import dev.conduit.store.RequestLogQueries;
import dev.conduit.store.RequestLogRepository;
import dev.conduit.testing.RequestLogSeed;
import dev.conduit.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request-log writer at a stop, on a real SQLite database: rows queued before {@code close} are
 * all written, and a row that comes after it (a call settled late on another event loop) is counted
 * as dropped and logged, never left unseen in the queue.
 */
class RequestLogWriterCloseTest {
  private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

  @Test
  void closeWritesEveryQueuedRowAndCountsARowThatComesAfter() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.sqlite();
        Database database = RequestLogSeed.open(db)) {
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      RequestLogWriter writer =
          new RequestLogWriter(new RequestLogRepository(database), 1, 1_000, 50, 5, 5_000, metrics);
      List<RequestLogEntry> before = RequestLogSeed.rows("before", AT, 120, "key-1");
      before.forEach(writer::submit);

      writer.close();
      RequestLogEntry after = RequestLogSeed.rows("after", AT, 1, "key-1").get(0);
      writer.submit(after);

      RequestLogQueries queries = new RequestLogQueries(database);
      for (RequestLogEntry row : before) {
        assertThat(queries.find(row.id(), false)).as("row " + row.id()).isPresent();
      }
      assertThat(queries.find(after.id(), false)).isEmpty();
      assertThat(metrics.counter("conduit.request.log.written").count()).isEqualTo(120);
      assertThat(metrics.counter("conduit.request.log.dropped").count()).isEqualTo(1);
      assertThat(writer.pending()).as("nothing left in the queue unseen").isZero();
    }
  }
}
