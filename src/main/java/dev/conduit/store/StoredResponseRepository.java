package dev.conduit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The {@code stored_responses} table. Every method blocks: call it from a worker thread. A row is
 * only ever returned to, or deleted for, the key that stored it, and never once it has expired.
 */
public final class StoredResponseRepository {
  private final Database database;

  public StoredResponseRepository(Database database) {
    this.database = database;
  }

  public void insert(StoredResponse response) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO stored_responses (id, virtual_key_id, provider, passthrough, items,"
                    + " response, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, response.id());
      insert.setString(2, response.virtualKeyId());
      insert.setString(3, response.provider());
      insert.setBoolean(4, response.passthrough());
      insert.setString(5, response.items());
      insert.setString(6, response.response());
      insert.setLong(7, response.createdAtMillis());
      insert.setLong(8, response.expiresAtMillis());
      insert.executeUpdate();
    }
  }

  /** The live response {@code id} of key {@code virtualKeyId} at {@code nowMillis}, if any. */
  public Optional<StoredResponse> find(String id, String virtualKeyId, long nowMillis)
      throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT id, virtual_key_id, provider, passthrough, items, response, created_at,"
                    + " expires_at FROM stored_responses"
                    + " WHERE id = ? AND virtual_key_id = ? AND expires_at > ?")) {
      select.setString(1, id);
      select.setString(2, virtualKeyId);
      select.setLong(3, nowMillis);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new StoredResponse(
                rows.getString("id"),
                rows.getString("virtual_key_id"),
                rows.getString("provider"),
                rows.getBoolean("passthrough"),
                rows.getString("items"),
                rows.getString("response"),
                rows.getLong("created_at"),
                rows.getLong("expires_at")));
      }
    }
  }

  /** Deletes the live response {@code id} of key {@code virtualKeyId}; whether there was one. */
  public boolean delete(String id, String virtualKeyId, long nowMillis) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM stored_responses"
                    + " WHERE id = ? AND virtual_key_id = ? AND expires_at > ?")) {
      delete.setString(1, id);
      delete.setString(2, virtualKeyId);
      delete.setLong(3, nowMillis);
      return delete.executeUpdate() == 1;
    }
  }

  /** Deletes the responses expired at {@code nowMillis}; how many. */
  public int deleteExpired(long nowMillis) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM stored_responses WHERE expires_at <= ?")) {
      delete.setLong(1, nowMillis);
      return delete.executeUpdate();
    }
  }
}
