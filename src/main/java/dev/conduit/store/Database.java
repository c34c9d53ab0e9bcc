package dev.conduit.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.conduit.config.DatabaseConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool and schema. Every method here blocks: call it from a worker thread or at
 * start-up, never from an event loop.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /** The page size of a new SQLite database file, in bytes (see {@link #createFile}). */
  static final int SQLITE_PAGE_SIZE = 8192;

  private final HikariDataSource dataSource;
  private final Dialect dialect;

  private final int validationTimeoutSeconds;
  private final OrphanedBackends orphans = new OrphanedBackends();

  private Database(HikariDataSource dataSource, Dialect dialect, long validationTimeoutMs) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.validationTimeoutSeconds = Integer.parseInt(seconds(validationTimeoutMs));
  }

  /** Milliseconds as whole seconds, rounded up, at least one. */
  private static String seconds(long millis) {
    return Long.toString(Math.max(1, (millis + 999) / 1_000));
  }

  /** Opens the pool and applies pending migrations. */
  public static Database open(DatabaseConfig config, MeterRegistry metrics) {
    Dialect dialect = config.isSqlite() ? Dialect.SQLITE : Dialect.POSTGRESQL;
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("conduit-db");
    hikari.setJdbcUrl(config.url());
    if (config.username() != null) {
      hikari.setUsername(config.username());
    }
    if (config.password() != null) {
      hikari.setPassword(config.password());
    }
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setMinimumIdle(1);
    hikari.setConnectionTimeout(config.poolTimeoutMs());
    hikari.setValidationTimeout(config.validationTimeoutMs());
    // Start even when the database is down: requests are served and log rows wait for it.
    hikari.setInitializationFailTimeout(-1);
    hikari.setMetricRegistry(metrics);
    if (dialect == Dialect.SQLITE) {
      createFile(config.url());
      hikari.addDataSourceProperty("journal_mode", "WAL");
      hikari.addDataSourceProperty("synchronous", "NORMAL");
      hikari.addDataSourceProperty("busy_timeout", "10000");
      hikari.addDataSourceProperty("foreign_keys", "true");
    }
    if (dialect == Dialect.POSTGRESQL) {
      // Without these a statement on a connection the network dropped silently (no reset) waits
      // forever: the request log writer once stayed blocked in a socket read after the database
      // came back. pgjdbc takes seconds.
      hikari.addDataSourceProperty("connectTimeout", seconds(config.connectTimeoutMs()));
      hikari.addDataSourceProperty("loginTimeout", seconds(config.connectTimeoutMs()));
      hikari.addDataSourceProperty("socketTimeout", seconds(config.socketTimeoutMs()));
      // The server's side of such a connection may sit idle inside a transaction, holding row
      // locks (a daily rollup row) that every retry of the writer then waits on: the server
      // ends such a session once the client would have given up on it.
      hikari.addDataSourceProperty(
          "options", "-c idle_in_transaction_session_timeout=" + config.socketTimeoutMs());
    }
    HikariDataSource dataSource = new HikariDataSource(hikari);
    Database database = new Database(dataSource, dialect, config.validationTimeoutMs());
    database.migrate();
    return database;
  }

  private void migrate() {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration/" + dialect.migrationFolder())
        .load()
        .migrate();
    log.info("Database ready ({})", dialect);
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  /** Work done in one transaction on one connection. */
  @FunctionalInterface
  public interface TransactionWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. On
   * PostgreSQL, a transaction lost with its connection has its server session ended before the next
   * one here starts ({@link OrphanedBackends}): otherwise its locks could hold every retry.
   */
  public <T> T inTransaction(TransactionWork<T> work) throws SQLException {
    try (Connection connection = connection()) {
      if (dialect == Dialect.POSTGRESQL) {
        orphans.endAll(connection);
      }
      int pid = dialect == Dialect.POSTGRESQL ? OrphanedBackends.pidOf(connection) : 0;
      long started = System.nanoTime();
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollBackOrRemember(connection, pid, started, e);
        throw e;
      }
    }
  }

  private void rollBackOrRemember(Connection connection, int pid, long started, Exception cause) {
    boolean broken =
        cause instanceof SQLException sql
            && sql.getSQLState() != null
            && sql.getSQLState().startsWith("08"); // connection exception
    if (!broken) {
      try {
        connection.rollback();
        return;
      } catch (SQLException e) {
        cause.addSuppressed(e);
      }
    }
    if (dialect == Dialect.POSTGRESQL) {
      orphans.lost(pid, started);
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** A round trip to the database; throws when it cannot be reached. */
  public void ping() throws SQLException {
    try (Connection connection = connection()) {
      if (!connection.isValid(validationTimeoutSeconds)) {
        throw new SQLException("connection is not valid");
      }
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /**
   * Creates a new SQLite database file, and its directory, with 8 KB pages; an existing file is
   * left as it is (its page size is fixed). Each request log row goes into 7 B-trees: with 8 KB
   * pages the writer spends about 11 % less CPU on a row than with SQLite's default 4 KB
   * (RequestLogWriteBenchmark: 9.5 against 10.6 µs). The page size must be set before anything else
   * writes the file, so not among the pool's connection settings, which apply in no set order.
   */
  private static void createFile(String url) {
    String path = url.substring("jdbc:sqlite:".length());
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.isEmpty() || path.equals(":memory:") || path.startsWith("file:")) {
      return;
    }
    Path parent = Path.of(path).toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create the database directory " + parent, e);
    }
    if (Files.exists(Path.of(path))) {
      return;
    }
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA page_size = " + SQLITE_PAGE_SIZE);
      statement.execute("PRAGMA journal_mode = WAL"); // writes the file's header: page size fixed
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create the database file " + path, e);
    }
  }
}
