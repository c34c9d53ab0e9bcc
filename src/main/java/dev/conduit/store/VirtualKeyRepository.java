package dev.conduit.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.core.Cidr;
import dev.conduit.core.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Virtual keys in the database. Blocking: call from a worker thread. */
public final class VirtualKeyRepository {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final String COLUMNS =
      "id, name, key_hash, key_hint, allowed_models, metadata, "
          + "expires_at, enabled, revoked_at, created_at, updated_at, max_budget_nanos, "
          + "budget_period, rpm, rpd, tpm, group_id, ip_allowlist";

  private final Database database;

  public VirtualKeyRepository(Database database) {
    this.database = database;
  }

  public void insert(VirtualKey key) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO virtual_keys ("
                    + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    + "?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, key.id());
      insert.setString(2, key.name());
      insert.setString(3, key.keyHash());
      insert.setString(4, key.keyHint());
      bindMutable(insert, 5, key);
      Jdbc.setInstant(insert, 10, key.createdAt());
      insert.setLong(11, key.updatedAt());
      bindLimits(insert, 12, key.limits());
      insert.executeUpdate();
    }
  }

  /** Writes the mutable fields of {@code key}; returns false when no such key exists. */
  public boolean update(VirtualKey key) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE virtual_keys SET allowed_models = ?, metadata = ?, expires_at = ?, "
                    + "enabled = ?, revoked_at = ?, name = ?, updated_at = ?, max_budget_nanos = ?, "
                    + "budget_period = ?, rpm = ?, rpd = ?, tpm = ?, group_id = ?, ip_allowlist = ? "
                    + "WHERE id = ?")) {
      bindMutable(update, 1, key);
      update.setString(6, key.name());
      update.setLong(7, key.updatedAt());
      bindLimits(update, 8, key.limits());
      update.setString(15, key.id());
      return update.executeUpdate() == 1;
    }
  }

  public Optional<VirtualKey> findById(String id) throws SQLException {
    List<VirtualKey> keys = query("SELECT " + COLUMNS + " FROM virtual_keys WHERE id = ?", id);
    return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0));
  }

  public List<VirtualKey> findAll() throws SQLException {
    return query("SELECT " + COLUMNS + " FROM virtual_keys ORDER BY created_at, id");
  }

  /** Keys changed after {@code updatedAfter} (epoch milliseconds). */
  public List<VirtualKey> findChangedSince(long updatedAfter) throws SQLException {
    return query("SELECT " + COLUMNS + " FROM virtual_keys WHERE updated_at > ?", updatedAfter);
  }

  private void bindMutable(PreparedStatement statement, int first, VirtualKey key)
      throws SQLException {
    statement.setString(first, key.allowedModels().isEmpty() ? null : json(key.allowedModels()));
    statement.setString(first + 1, key.metadata() == null ? null : json(key.metadata()));
    Jdbc.setInstant(statement, first + 2, key.expiresAt());
    statement.setBoolean(first + 3, key.enabled());
    Jdbc.setInstant(statement, first + 4, key.revokedAt());
  }

  /** Ids of keys, not revoked, that draw on {@code groupId}. */
  public List<String> findActiveIdsInGroup(String groupId) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT id FROM virtual_keys WHERE group_id = ? AND revoked_at IS NULL")) {
      select.setString(1, groupId);
      try (ResultSet rows = select.executeQuery()) {
        List<String> ids = new ArrayList<>();
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
        return ids;
      }
    }
  }

  private static void bindLimits(PreparedStatement statement, int first, KeyLimits limits)
      throws SQLException {
    Jdbc.setNullableLong(statement, first, limits.maxBudgetNanos());
    statement.setString(
        first + 1, limits.budgetPeriod() == null ? null : limits.budgetPeriod().wireName());
    Jdbc.setNullableLong(statement, first + 2, limits.rpm());
    Jdbc.setNullableLong(statement, first + 3, limits.rpd());
    Jdbc.setNullableLong(statement, first + 4, limits.tpm());
    statement.setString(first + 5, limits.groupId());
    statement.setString(
        first + 6,
        limits.ipAllowlist().isEmpty()
            ? null
            : json(limits.ipAllowlist().stream().map(Cidr::toString).toList()));
  }

  private static KeyLimits readLimits(ResultSet rows) throws SQLException, JsonProcessingException {
    String allowlist = rows.getString("ip_allowlist");
    String period = rows.getString("budget_period");
    return new KeyLimits(
        Jdbc.getNullableLong(rows, "max_budget_nanos"),
        period == null ? null : BudgetPeriod.fromWireName(period).orElse(null),
        Jdbc.getNullableLong(rows, "rpm"),
        Jdbc.getNullableLong(rows, "rpd"),
        Jdbc.getNullableLong(rows, "tpm"),
        rows.getString("group_id"),
        allowlist == null
            ? List.of()
            : JSON.readValue(allowlist, new TypeReference<List<String>>() {}).stream()
                .map(Cidr::of)
                .toList());
  }

  private List<VirtualKey> query(String sql, Object... parameters) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        List<VirtualKey> keys = new ArrayList<>();
        while (rows.next()) {
          keys.add(read(rows));
        }
        return keys;
      }
    }
  }

  private static VirtualKey read(ResultSet rows) throws SQLException {
    String allowed = rows.getString("allowed_models");
    String metadata = rows.getString("metadata");
    try {
      return new VirtualKey(
          rows.getString("id"),
          rows.getString("name"),
          rows.getString("key_hash"),
          rows.getString("key_hint"),
          allowed == null
              ? List.of()
              : JSON.readValue(allowed, new TypeReference<List<String>>() {}),
          Jdbc.getInstant(rows, "expires_at"),
          metadata == null ? null : JSON.readTree(metadata),
          rows.getBoolean("enabled"),
          Jdbc.getInstant(rows, "revoked_at"),
          Jdbc.getInstant(rows, "created_at"),
          rows.getLong("updated_at"),
          readLimits(rows));
    } catch (JsonProcessingException e) {
      throw new SQLException("Corrupt JSON in virtual key " + rows.getString("id"), e);
    }
  }

  private static String json(Object value) throws SQLException {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new SQLException("Cannot encode " + value.getClass().getSimpleName(), e);
    }
  }
}
