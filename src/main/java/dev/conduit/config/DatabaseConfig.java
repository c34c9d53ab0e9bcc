package dev.conduit.config;

/**
 * Database connection.
 *
 * @param url JDBC URL: {@code jdbc:sqlite:...} (embedded default) or {@code jdbc:postgresql:...}
 * @param username optional user (PostgreSQL)
 * @param password optional password (PostgreSQL), never logged
 * @param poolSize maximum pooled connections (SQLite is always one writer)
 * @param connectTimeoutMs PostgreSQL: how long opening a connection (TCP connect and login) may
 *     take
 * @param socketTimeoutMs PostgreSQL: how long any one read from the database may wait, so a
 *     statement on a connection the network silently dropped fails instead of waiting forever (the
 *     longest single query or fetch must fit in it)
 * @param poolTimeoutMs how long a caller waits for a connection from the pool
 * @param validationTimeoutMs how long the pool's (and readiness's) connection check may take
 * @param logWriterStallMs readiness reports the database down when the request log writer has rows
 *     waiting and has not committed for this long
 */
public record DatabaseConfig(
    String url,
    String username,
    String password,
    Integer poolSize,
    Long connectTimeoutMs,
    Long socketTimeoutMs,
    Long poolTimeoutMs,
    Long validationTimeoutMs,
    Long logWriterStallMs) {

  public static final String DEFAULT_URL = "jdbc:sqlite:./data/conduit.db";

  public DatabaseConfig {
    url = url == null || url.isBlank() ? DEFAULT_URL : url;
    poolSize = poolSize == null ? 10 : poolSize;
    connectTimeoutMs = connectTimeoutMs == null ? 5_000L : connectTimeoutMs;
    socketTimeoutMs = socketTimeoutMs == null ? 30_000L : socketTimeoutMs;
    poolTimeoutMs = poolTimeoutMs == null ? 5_000L : poolTimeoutMs;
    validationTimeoutMs = validationTimeoutMs == null ? 2_000L : validationTimeoutMs;
    logWriterStallMs = logWriterStallMs == null ? 15_000L : logWriterStallMs;
  }

  /** The connection settings, every timeout at its default. */
  public DatabaseConfig(String url, String username, String password, Integer poolSize) {
    this(url, username, password, poolSize, null, null, null, null, null);
  }

  public static DatabaseConfig defaults() {
    return new DatabaseConfig(null, null, null, null);
  }

  public DatabaseConfig withUrl(String newUrl) {
    return new DatabaseConfig(
        newUrl,
        username,
        password,
        poolSize,
        connectTimeoutMs,
        socketTimeoutMs,
        poolTimeoutMs,
        validationTimeoutMs,
        logWriterStallMs);
  }

  public boolean isSqlite() {
    return url.startsWith("jdbc:sqlite:");
  }

  public boolean isPostgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  @Override
  public String toString() {
    return "DatabaseConfig[url="
        + url
        + ", username="
        + username
        + ", password="
        + (password == null ? "unset" : "***")
        + ", poolSize="
        + poolSize
        + ", connectTimeoutMs="
        + connectTimeoutMs
        + ", socketTimeoutMs="
        + socketTimeoutMs
        + ", poolTimeoutMs="
        + poolTimeoutMs
        + ", validationTimeoutMs="
        + validationTimeoutMs
        + ", logWriterStallMs="
        + logWriterStallMs
        + "]";
  }
}
