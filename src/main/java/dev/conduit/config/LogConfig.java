package dev.conduit.config;

/**
 * Request log writer tuning.
 *
 * @param queueCapacity rows that may wait in memory (database slow or down) before new rows are
 *     dropped and counted in {@code conduit_request_log_dropped_total}
 * @param batchSize rows written per database batch
 * @param lingerMs how long the writer waits for more rows before writing a batch that is not full
 */
public record LogConfig(Integer queueCapacity, Integer batchSize, Integer lingerMs) {

  public LogConfig {
    queueCapacity = queueCapacity == null ? 200_000 : queueCapacity;
    batchSize = batchSize == null ? 1_000 : batchSize;
    lingerMs = lingerMs == null ? 25 : lingerMs;
  }

  public static LogConfig defaults() {
    return new LogConfig(null, null, null);
  }
}
