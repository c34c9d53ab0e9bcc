package dev.conduit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.RequestLogSeed;
import dev.conduit.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code request_logs_archive} has the columns of {@code request_logs}, in the same order, with the
 * same types, nullability and defaults, on both databases: the runbook's {@code INSERT INTO
 * request_logs_archive SELECT * FROM request_logs} depends on it, and so does every migration that
 * changes one table without the other (this test then fails).
 */
class RequestLogArchiveSchemaTest {

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void theArchiveHasTheColumnsOfTheLogInTheSameOrder(String kind) throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.create(kind)) {
      try (Database database = RequestLogSeed.open(db)) {
        List<String> live = columns(database, "request_logs");
        assertThat(live).hasSizeGreaterThanOrEqualTo(20);
        assertThat(live.get(0)).startsWith("id ");
        assertThat(columns(database, "request_logs_archive")).isEqualTo(live);
        assertThat(indexedColumns(database, "request_logs_archive"))
            .isEqualTo(indexedColumns(database, "request_logs"));
      }
    }
  }

  /** "name type nullable default" of each column, in table order. */
  private static List<String> columns(Database database, String table) throws Exception {
    try (Connection connection = database.connection();
        ResultSet rows = connection.getMetaData().getColumns(null, null, table, null)) {
      List<String> columns = new ArrayList<>();
      while (rows.next()) {
        columns.add(
            rows.getString("COLUMN_NAME")
                + " "
                + rows.getString("TYPE_NAME")
                + " "
                + rows.getString("IS_NULLABLE")
                + " "
                + rows.getString("COLUMN_DEF"));
      }
      return columns;
    }
  }

  /** The column lists of a table's indexes, sorted (index names differ). */
  private static List<String> indexedColumns(Database database, String table) throws Exception {
    try (Connection connection = database.connection()) {
      DatabaseMetaData meta = connection.getMetaData();
      java.util.Map<String, StringBuilder> indexes = new java.util.TreeMap<>();
      try (ResultSet rows = meta.getIndexInfo(null, null, table, false, false)) {
        while (rows.next()) {
          String index = rows.getString("INDEX_NAME");
          String column = rows.getString("COLUMN_NAME");
          if (index == null || column == null) {
            continue;
          }
          indexes
              .computeIfAbsent(index, name -> new StringBuilder())
              .append(rows.getBoolean("NON_UNIQUE") ? "" : "unique:")
              .append(column)
              .append(',');
        }
      }
      return indexes.values().stream().map(StringBuilder::toString).sorted().toList();
    }
  }
}
