package dev.conduit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Named gateway-wide values, such as the admin master key's hash. Blocking. */
public final class SettingsRepository {
  private final Database database;

  public SettingsRepository(Database database) {
    this.database = database;
  }

  public Optional<String> find(String name) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select =
            connection.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  /** Stores {@code value}, replacing any earlier one. */
  public void put(String name, String value) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement upsert =
            connection.prepareStatement(
                "INSERT INTO settings (name, "
                    + "value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
      upsert.setString(1, name);
      upsert.setString(2, value);
      upsert.executeUpdate();
    }
  }

  /** Stores {@code value} unless a value exists; returns whether this call stored it. */
  public boolean insertIfAbsent(String name, String value) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
      insert.setString(1, name);
      insert.setString(2, value);
      return insert.executeUpdate() == 1;
    }
  }
}
