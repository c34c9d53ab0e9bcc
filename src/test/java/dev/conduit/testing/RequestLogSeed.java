package dev.conduit.testing;

import dev.conduit.config.DatabaseConfig;
import dev.conduit.store.Database;
import dev.conduit.store.RequestLogEntry;
import dev.conduit.store.RequestLogRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Request log rows written as the gateway writes them (with their daily rollups), at chosen times:
 * old rows for the archive and the runbook's SQL, without waiting 90 days.
 */
public final class RequestLogSeed {
  private RequestLogSeed() {}

  /** Opens (and migrates) the test database as the gateway does. */
  public static Database open(TestDatabases.TestDatabase db) {
    return Database.open(
        new DatabaseConfig(db.url(), db.username(), null, 4), new SimpleMeterRegistry());
  }

  /**
   * {@code count} rows one minute apart from {@code first}, for key {@code keyId}, alternating two
   * models; each costs 1,000 nano-dollars per row number (so totals are easy to check).
   */
  public static List<RequestLogEntry> rows(String prefix, Instant first, int count, String keyId) {
    List<RequestLogEntry> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(
          new RequestLogEntry(
              String.format("%s-%06d", prefix, i),
              first.plusSeconds(60L * i),
              "req-" + prefix + "-" + i,
              keyId,
              "chat.completions",
              i % 2 == 0 ? "gpt-4o" : "claude",
              i % 2 == 0 ? "openai" : "anthropic",
              i % 2 == 0 ? "gpt-4o-2024" : "claude-3",
              i % 7 == 0 ? 502 : 200,
              i % 3 == 0,
              10 + i,
              5 + i,
              0,
              100 + i,
              i % 7 == 0 ? null : 20L + i,
              1,
              i % 7 == 0 ? "upstream_error" : null,
              i % 7 == 0 ? "Bad gateway" : null,
              1_000L * (i + 1),
              null));
    }
    return rows;
  }

  /** Writes rows in batches of 500 through the request log repository. */
  public static void write(Database database, List<RequestLogEntry> rows) throws SQLException {
    RequestLogRepository repository = new RequestLogRepository(database);
    for (int from = 0; from < rows.size(); from += 500) {
      repository.insertBatch(rows.subList(from, Math.min(rows.size(), from + 500)));
    }
  }
}
