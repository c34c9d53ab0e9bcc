package dev.conduit.config;

/**
 * Database connection.
 *
 * @param url JDBC URL: {@code jdbc:sqlite:...} (embedded default) or {@code jdbc:postgresql:...}
 * @param username optional user (PostgreSQL)
 * @param password optional password (PostgreSQL), never logged
 * @param poolSize maximum pooled connections (SQLite is always one writer)
 */
public record DatabaseConfig(String url, String username, String password, Integer poolSize) {

  public static final String DEFAULT_URL = "jdbc:sqlite:./data/conduit.db";

  public DatabaseConfig {
    url = url == null || url.isBlank() ? DEFAULT_URL : url;
    poolSize = poolSize == null ? 10 : poolSize;
  }

  public static DatabaseConfig defaults() {
    return new DatabaseConfig(null, null, null, null);
  }

  public DatabaseConfig withUrl(String newUrl) {
    return new DatabaseConfig(newUrl, username, password, poolSize);
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
        + "]";
  }
}
