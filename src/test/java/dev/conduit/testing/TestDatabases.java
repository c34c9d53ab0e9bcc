package dev.conduit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Throwaway databases: a fresh SQLite file, or a fresh database on the local PostgreSQL
 * (127.0.0.1:5432, trust auth; override with {@code CONDUIT_TEST_PG_URL} and {@code
 * CONDUIT_TEST_PG_USER}). Dropped on close.
 */
public final class TestDatabases {
  private static final String PG_ADMIN_URL =
      System.getenv()
          .getOrDefault("CONDUIT_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  public static final String PG_USER =
      System.getenv().getOrDefault("CONDUIT_TEST_PG_USER", "postgres");

  private TestDatabases() {}

  /** A database for one test class. */
  public interface TestDatabase extends AutoCloseable {
    String url();

    String username();

    String kind();

    Connection connect() throws SQLException;

    @Override
    void close() throws Exception;
  }

  public static TestDatabase create(String kind) throws Exception {
    return switch (kind) {
      case "sqlite" -> sqlite();
      case "postgresql" -> postgres();
      default -> throw new IllegalArgumentException(kind);
    };
  }

  public static TestDatabase sqlite() throws IOException {
    Path dir = Files.createTempDirectory("conduit-test-db");
    String url = "jdbc:sqlite:" + dir.resolve("conduit.db");
    return new TestDatabase() {
      @Override
      public String url() {
        return url;
      }

      @Override
      public String username() {
        return null;
      }

      @Override
      public String kind() {
        return "sqlite";
      }

      @Override
      public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
      }

      @Override
      public void close() throws IOException {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    };
  }

  public static TestDatabase postgres() throws SQLException {
    String name = "conduit_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, null);
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    String url = PG_ADMIN_URL.substring(0, PG_ADMIN_URL.lastIndexOf('/') + 1) + name;
    return new TestDatabase() {
      @Override
      public String url() {
        return url;
      }

      @Override
      public String username() {
        return PG_USER;
      }

      @Override
      public String kind() {
        return "postgresql";
      }

      @Override
      public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, PG_USER, null);
      }

      @Override
      public void close() throws SQLException {
        try (Connection admin = DriverManager.getConnection(PG_ADMIN_URL, PG_USER, null);
            Statement statement = admin.createStatement()) {
          statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
      }
    };
  }
}
