package dev.conduit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Row count and newest change stamp of a small table with an {@code updated_at} column: when it is
 * unchanged, the table is (inserts, edits and deletes all move it), so other instances reload only
 * after a change.
 */
final class TableSignature {
  private TableSignature() {}

  static String of(Database database, String table) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM " + table);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1) + ":" + rows.getLong(2);
    }
  }

  /**
   * A change stamp for a row about to be written: now, or one past the newest stamp in the table
   * when that is ahead (another instance's clock), so the signature always moves.
   */
  static long nextStamp(Database database, String table, long nowMillis) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select =
            connection.prepareStatement("SELECT COALESCE(MAX(updated_at), 0) FROM " + table);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return Math.max(nowMillis, rows.getLong(1) + 1);
    }
  }
}
