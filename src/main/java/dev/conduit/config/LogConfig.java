package dev.conduit.config;

/**
 * Request log writer tuning.
 *
 * @param queueCapacity rows that may wait in memory (database slow or down) before new rows are
 *     dropped and counted in {@code conduit_request_log_dropped_total}
 * @param batchSize rows written per database batch
 * @param lingerMs how long the writer waits for more rows before writing a batch that is not full
 * @param writers threads (each with its own connection) writing batches from the one queue; null
 *     for the database's default, {@link #writersFor}
 */
public record LogConfig(
    Integer queueCapacity, Integer batchSize, Integer lingerMs, Integer writers) {
  /**
   * PostgreSQL's default: a second writer wrote 25-37% more rows a second than one
   * (RequestLogWriteBenchmark, two cores shared with the database); a fourth added nothing there.
   */
  static final int POSTGRES_WRITERS = 2;

  public LogConfig {
    queueCapacity = queueCapacity == null ? 200_000 : queueCapacity;
    batchSize = batchSize == null ? 1_000 : batchSize;
    lingerMs = lingerMs == null ? 25 : lingerMs;
  }

  public static LogConfig defaults() {
    return new LogConfig(null, null, null, null);
  }

  /**
   * The writers to run: as configured; else one on SQLite (one writer at a time), and on PostgreSQL
   * two, leaving the pool at least one connection for everything else.
   */
  public int writersFor(DatabaseConfig database) {
    if (writers != null) {
      return writers;
    }
    if (database.isSqlite()) {
      return 1;
    }
    return Math.max(1, Math.min(POSTGRES_WRITERS, database.poolSize() - 1));
  }
}
