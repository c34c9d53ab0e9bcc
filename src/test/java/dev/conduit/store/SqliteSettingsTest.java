package dev.conduit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.config.DatabaseConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database's settings: what a new file gets, and that an older file still opens. */
class SqliteSettingsTest {
  @TempDir Path directory;

  @Test
  void aNewDatabaseHasEightKilobytePagesAndAWriteAheadLog() throws SQLException {
    try (Database database = open(directory.resolve("new.db"));
        Connection connection = database.connection()) {
      assertThat(pragma(connection, "page_size")).isEqualTo("8192");
      assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
    }
  }

  @Test
  void aDatabaseMadeWithSmallerPagesKeepsThemAndOpens() throws SQLException {
    Path file = directory.resolve("old.db");
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = raw.createStatement()) {
      statement.execute("PRAGMA page_size = 4096");
      statement.execute("PRAGMA journal_mode = WAL"); // the file is written: 4 KB pages
    }
    try (Database database = open(file);
        Connection connection = database.connection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM request_logs")) {
      assertThat(pragma(connection, "page_size")).isEqualTo("4096");
      assertThat(rows.next()).isTrue();
    }
  }

  private static Database open(Path file) {
    return Database.open(
        new DatabaseConfig("jdbc:sqlite:" + file, null, null, 2), new SimpleMeterRegistry());
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
