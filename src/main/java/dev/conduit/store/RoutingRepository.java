package dev.conduit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Providers, model mappings and provider state changed through the admin API, and the routing
 * version every instance polls to notice a change. Each write changes the version in the same
 * transaction. Blocking: call from a worker thread.
 */
public final class RoutingRepository {
  static final String VERSION_SETTING = "routing_version";

  private final Database database;

  public RoutingRepository(Database database) {
    this.database = database;
  }

  /** A provider defined or deleted through the admin API. */
  public record ProviderRow(String name, String definition, String apiKeys, boolean deleted) {}

  /** A model mapping defined or deleted through the admin API. */
  public record ModelRow(String alias, String definition, boolean deleted) {}

  /** Operator state of one provider. */
  public record StateRow(
      String name, boolean enabled, String regionalEndpoints, long circuitResets) {}

  /** Everything at one version. */
  public record Snapshot(
      String version, List<ProviderRow> providers, List<ModelRow> models, List<StateRow> states) {}

  /** The current version: changes with every write through this repository. */
  public String version() throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select =
            connection.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
      select.setString(1, VERSION_SETTING);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getString(1) : "";
      }
    }
  }

  public Snapshot load() throws SQLException {
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      try {
        String version = "";
        try (PreparedStatement select =
            connection.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
          select.setString(1, VERSION_SETTING);
          try (ResultSet rows = select.executeQuery()) {
            if (rows.next()) {
              version = rows.getString(1);
            }
          }
        }
        List<ProviderRow> providers = new ArrayList<>();
        try (PreparedStatement select =
                connection.prepareStatement(
                    "SELECT name, definition, api_keys, deleted FROM admin_providers ORDER BY name");
            ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            providers.add(
                new ProviderRow(
                    rows.getString(1), rows.getString(2), rows.getString(3), rows.getBoolean(4)));
          }
        }
        List<ModelRow> models = new ArrayList<>();
        try (PreparedStatement select =
                connection.prepareStatement(
                    "SELECT alias, definition, deleted FROM admin_model_mappings ORDER BY alias");
            ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            models.add(new ModelRow(rows.getString(1), rows.getString(2), rows.getBoolean(3)));
          }
        }
        List<StateRow> states = new ArrayList<>();
        try (PreparedStatement select =
                connection.prepareStatement(
                    "SELECT name, enabled, regional_endpoints, circuit_resets FROM provider_state");
            ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            states.add(
                new StateRow(
                    rows.getString(1), rows.getBoolean(2), rows.getString(3), rows.getLong(4)));
          }
        }
        connection.commit();
        return new Snapshot(version, providers, models, states);
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /** Stores a provider definition ({@code definition} null and {@code deleted} to hide one). */
  public void saveProvider(ProviderRow row) throws SQLException {
    write(
        "INSERT INTO admin_providers (name, definition, api_keys, deleted, updated_at) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET definition = "
            + "excluded.definition, api_keys = excluded.api_keys, deleted = excluded.deleted, "
            + "updated_at = excluded.updated_at",
        row.name(),
        row.definition(),
        row.apiKeys(),
        row.deleted(),
        System.currentTimeMillis());
  }

  public void saveModel(ModelRow row) throws SQLException {
    write(
        "INSERT INTO admin_model_mappings (alias, definition, deleted, updated_at) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (alias) DO UPDATE SET definition = "
            + "excluded.definition, deleted = excluded.deleted, updated_at = excluded.updated_at",
        row.alias(),
        row.definition(),
        row.deleted(),
        System.currentTimeMillis());
  }

  public void setEnabled(String provider, boolean enabled) throws SQLException {
    write(
        "INSERT INTO provider_state (name, enabled, updated_at) VALUES (?, ?, ?) "
            + "ON CONFLICT (name) DO UPDATE SET enabled = excluded.enabled, "
            + "updated_at = excluded.updated_at",
        provider,
        enabled,
        System.currentTimeMillis());
  }

  public void setRegionalEndpoints(String provider, String json) throws SQLException {
    write(
        "INSERT INTO provider_state (name, regional_endpoints, updated_at) VALUES (?, ?, ?) "
            + "ON CONFLICT (name) DO UPDATE SET regional_endpoints = excluded.regional_endpoints, "
            + "updated_at = excluded.updated_at",
        provider,
        json,
        System.currentTimeMillis());
  }

  public void countCircuitReset(String provider) throws SQLException {
    write(
        "INSERT INTO provider_state (name, circuit_resets, updated_at) VALUES (?, 1, ?) "
            + "ON CONFLICT (name) DO UPDATE SET circuit_resets = provider_state.circuit_resets + 1, "
            + "updated_at = excluded.updated_at",
        provider,
        System.currentTimeMillis());
  }

  /** Runs one change and moves the version on, in one transaction. */
  private void write(String sql, Object... parameters) throws SQLException {
    try (Connection connection = database.connection()) {
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
          for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
              statement.setNull(i + 1, java.sql.Types.VARCHAR);
            } else if (parameters[i] instanceof Boolean bool) {
              statement.setBoolean(i + 1, bool);
            } else {
              statement.setObject(i + 1, parameters[i]);
            }
          }
          statement.executeUpdate();
        }
        try (PreparedStatement bump =
            connection.prepareStatement(
                "INSERT INTO settings (name, value) VALUES (?, ?) "
                    + "ON CONFLICT (name) DO UPDATE SET value = excluded.value")) {
          bump.setString(1, VERSION_SETTING);
          bump.setString(2, UUID.randomUUID().toString());
          bump.executeUpdate();
        }
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    }
  }
}
