package dev.conduit.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.HashMap;
import java.util.Map;

/** Reads request log rows straight from the database under test. */
public final class RequestLogs {
  private RequestLogs() {}

  /** The row of the request with this X-Request-ID, waiting for the writer to store it. */
  public static Map<String, Object> awaitRow(TestDatabases.TestDatabase db, String requestId)
      throws Exception {
    return Eventually.await(
        "the request log row of " + requestId, () -> find(db, requestId), row -> row != null);
  }

  public static Map<String, Object> find(TestDatabases.TestDatabase db, String requestId)
      throws Exception {
    try (Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement("SELECT * FROM request_logs WHERE request_id = ?")) {
      select.setString(1, requestId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        ResultSetMetaData meta = rows.getMetaData();
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnName(i).toLowerCase(), rows.getObject(i));
        }
        return row;
      }
    }
  }

  public static long count(TestDatabases.TestDatabase db) throws Exception {
    try (Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement("SELECT count(*) FROM request_logs");
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Numeric column as a long (SQLite and PostgreSQL return different boxed types). */
  public static long number(Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (value instanceof Boolean bool) {
      return bool ? 1 : 0;
    }
    return ((Number) value).longValue();
  }
}
