package dev.conduit.config;

/**
 * Request log writer tuning.
 *
 * @param queueCapacity rows that may wait in memory (database slow or down) before new rows are
 *     dropped and counted in {@code conduit_request_log_dropped_total}
 * @param batchSize rows written per database batch
 */
public record LogConfig(Integer queueCapacity, Integer batchSize) {

  public LogConfig {
    queueCapacity = queueCapacity == null ? 200_000 : queueCapacity;
    batchSize = batchSize == null ? 500 : batchSize;
  }

  public static LogConfig defaults() {
    return new LogConfig(null, null);
  }
}
