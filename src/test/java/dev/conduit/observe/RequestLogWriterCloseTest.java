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
          new RequestLogWriter(new RequestLogRepository(database), 1_000, 50, 5, 5_000, metrics);
      for (int i = 0; i < 120; i++) {
        writer.submit(entry("before-" + i));
      }

      writer.close();
      writer.submit(entry("after"));

      RequestLogQueries queries = new RequestLogQueries(database);
      for (int i = 0; i < 120; i++) {
        assertThat(queries.find("before-" + i, false)).as("row before-" + i).isPresent();
      }
      assertThat(queries.find("after", false)).isEmpty();
      assertThat(metrics.counter("conduit.request.log.written").count()).isEqualTo(120);
      assertThat(metrics.counter("conduit.request.log.dropped").count()).isEqualTo(1);
      assertThat(writer.pending()).as("nothing left in the queue unseen").isZero();
    }
  }

  private static RequestLogEntry entry(String id) {
    return new RequestLogEntry(
        id,
        AT,
        "req-" + id,
        "key-1",
        "chat_completions",
        "alias",
        "openai",
        "model",
        200,
        false,
        1,
        1,
        0,
        50,
        20L,
        1,
        null,
        null,
        1_000L,
        null,
        false,
        null,
        null);
  }
}
