package dev.conduit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Moves request log rows older than a cut-off into {@code request_logs_archive}, in batches: each
 * batch copies its rows and deletes them from the log in one transaction, so a run that is killed
 * loses and duplicates nothing, and the next run carries on where it stopped. Spend totals, budgets
 * and the daily rollups are not touched: the money was spent whether the rows are live or archived.
 * Blocking.
 */
public final class RequestLogArchive {
  /** Setting holding the latest cut-off (an ISO instant): reports read live rows from there on. */
  static final String ARCHIVED_BEFORE = "request_logs.archived_before";

  private static final String COLUMNS =
      "id, timestamp, request_id, virtual_key_id, endpoint, model, provider, provider_model, "
          + "status_code, stream, input_tokens, output_tokens, cached_tokens, latency_ms, ttfb_ms, "
          + "attempts, error_type, error_message, cost_nanos, group_id, cache_hit, cost_saved_nanos, "
          + "unit_kind, units";

  private final Database database;
  private final SettingsRepository settings;

  public RequestLogArchive(Database database) {
    this.database = database;
    this.settings = new SettingsRepository(database);
  }

  /** Called after each committed batch with the rows moved so far. */
  @FunctionalInterface
  public interface Progress {
    void moved(long total) throws InterruptedException;
  }

  /**
   * Archives every row older than {@code cutoff}, {@code batchSize} rows per transaction, oldest
   * first, and returns how many it moved. Records the cut-off first, so reports that leave the
   * archive out begin there even while a run is under way or after one was interrupted.
   */
  public long archiveOlderThan(Instant cutoff, int batchSize, Progress progress)
      throws SQLException, InterruptedException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    recordCutoff(cutoff);
    long moved = 0;
    while (true) {
      int batch = moveBatch(cutoff, batchSize);
      if (batch == 0) {
        return moved;
      }
      moved += batch;
      progress.moved(moved);
    }
  }

  /** The latest cut-off an archive run used, if any ran. */
  public Optional<Instant> archivedBefore() throws SQLException {
    return archivedBefore(settings);
  }

  static Optional<Instant> archivedBefore(SettingsRepository settings) throws SQLException {
    return settings.find(ARCHIVED_BEFORE).map(Instant::parse);
  }

  private void recordCutoff(Instant cutoff) throws SQLException {
    Optional<Instant> earlier = archivedBefore();
    if (earlier.isEmpty() || earlier.get().isBefore(cutoff)) {
      settings.put(ARCHIVED_BEFORE, cutoff.toString());
    }
  }

  private int moveBatch(Instant cutoff, int batchSize) throws SQLException {
    return database.inTransaction(
        connection -> {
          List<String> ids = oldest(connection, cutoff, batchSize);
          if (!ids.isEmpty()) {
            String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
            // ON CONFLICT: two runs at once (or a row someone archived by hand) never duplicate.
            execute(
                connection,
                "INSERT INTO request_logs_archive ("
                    + COLUMNS
                    + ") SELECT "
                    + COLUMNS
                    + " FROM request_logs WHERE id IN ("
                    + in
                    + ") ON CONFLICT (id) DO NOTHING",
                ids);
            execute(connection, "DELETE FROM request_logs WHERE id IN (" + in + ")", ids);
          }
          return ids.size();
        });
  }

  private static List<String> oldest(Connection connection, Instant cutoff, int limit)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id FROM request_logs WHERE timestamp < ? ORDER BY timestamp, id LIMIT ?")) {
      Jdbc.setInstant(select, 1, cutoff);
      select.setInt(2, limit);
      try (ResultSet rows = select.executeQuery()) {
        List<String> ids = new ArrayList<>(limit);
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
        return ids;
      }
    }
  }

  private static void execute(Connection connection, String sql, List<String> ids)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < ids.size(); i++) {
        statement.setString(i + 1, ids.get(i));
      }
      statement.executeUpdate();
    }
  }
}
