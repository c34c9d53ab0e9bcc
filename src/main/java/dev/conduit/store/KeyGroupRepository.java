package dev.conduit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Key groups and their balance transactions. Blocking: call from a worker thread. */
public final class KeyGroupRepository {
  private static final String COLUMNS =
      "id, name, credits_nanos, spend_nanos, created_at, updated_at";

  private final Database database;

  public KeyGroupRepository(Database database) {
    this.database = database;
  }

  /**
   * One balance transaction.
   *
   * @param id row id
   * @param groupId the group
   * @param kind {@code adjustment} (an administrator's credit or debit) or {@code usage} (the keys'
   *     spend in one UTC hour, negative)
   * @param amountNanos signed amount
   * @param reason why
   * @param createdAt when (for usage: the start of its hour)
   */
  public record Transaction(
      String id, String groupId, String kind, long amountNanos, String reason, Instant createdAt) {}

  /** Creates a group and, when {@code initial} is not null, its first adjustment. */
  public void insert(KeyGroup group, Transaction initial) throws SQLException {
    database.inTransaction(
        connection -> {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO key_groups (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, group.id());
            insert.setString(2, group.name());
            insert.setLong(3, group.creditsNanos());
            insert.setLong(4, group.spendNanos());
            Jdbc.setInstant(insert, 5, group.createdAt());
            insert.setLong(6, group.updatedAt());
            insert.executeUpdate();
            if (initial != null) {
              insertTransaction(connection, initial);
            }
          }
          return null;
        });
  }

  /**
   * Renames a group. In a transaction like every write to {@code key_groups}: a session lost
   * holding the group's row would otherwise stall the spend flushes that update it.
   */
  public boolean rename(String id, String name, long updatedAt) throws SQLException {
    return database.inTransaction(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE key_groups SET name = ?, updated_at = ? WHERE id = ?")) {
            update.setString(1, name);
            update.setLong(2, updatedAt);
            update.setString(3, id);
            return update.executeUpdate() == 1;
          }
        });
  }

  /** Adds {@code transaction.amountNanos} to the group's credits and records it, atomically. */
  public boolean adjust(Transaction transaction, long updatedAt) throws SQLException {
    return database.inTransaction(
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  "UPDATE key_groups SET "
                      + "credits_nanos = credits_nanos + ?, updated_at = ? WHERE id = ?")) {
            update.setLong(1, transaction.amountNanos());
            update.setLong(2, updatedAt);
            update.setString(3, transaction.groupId());
            if (update.executeUpdate() != 1) {
              return false; // no such group: nothing was changed
            }
            insertTransaction(connection, transaction);
            return true;
          }
        });
  }

  public boolean delete(String id) throws SQLException {
    return database.inTransaction(
        connection -> {
          try (PreparedStatement transactions =
                  connection.prepareStatement(
                      "DELETE FROM key_group_transactions WHERE group_id = ?");
              PreparedStatement group =
                  connection.prepareStatement("DELETE FROM key_groups WHERE id = ?")) {
            transactions.setString(1, id);
            transactions.executeUpdate();
            group.setString(1, id);
            return group.executeUpdate() == 1;
          }
        });
  }

  public Optional<KeyGroup> findById(String id) throws SQLException {
    List<KeyGroup> groups = query("SELECT " + COLUMNS + " FROM key_groups WHERE id = ?", id);
    return groups.isEmpty() ? Optional.empty() : Optional.of(groups.get(0));
  }

  public List<KeyGroup> findAll() throws SQLException {
    return query("SELECT " + COLUMNS + " FROM key_groups ORDER BY created_at, id");
  }

  /**
   * A page of a group's transactions, newest first.
   *
   * @param before only transactions older than this (created_at, id) position; null for the newest
   */
  public List<Transaction> transactions(
      String groupId, Instant beforeTime, String beforeId, int limit) throws SQLException {
    String sql =
        "SELECT id, group_id, kind, amount_nanos, reason, created_at FROM "
            + "key_group_transactions WHERE group_id = ?"
            + (beforeTime == null ? "" : " AND (created_at < ? OR (created_at = ? AND id < ?))")
            + " ORDER BY created_at DESC, id DESC LIMIT ?";
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      int i = 1;
      select.setString(i++, groupId);
      if (beforeTime != null) {
        Jdbc.setInstant(select, i++, beforeTime);
        Jdbc.setInstant(select, i++, beforeTime);
        select.setString(i++, beforeId);
      }
      select.setInt(i, limit);
      try (ResultSet rows = select.executeQuery()) {
        List<Transaction> page = new ArrayList<>();
        while (rows.next()) {
          page.add(
              new Transaction(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getLong(4),
                  rows.getString(5),
                  Jdbc.getInstant(rows, "created_at")));
        }
        return page;
      }
    }
  }

  public long nextStamp(long nowMillis) throws SQLException {
    return TableSignature.nextStamp(database, "key_groups", nowMillis);
  }

  public String signature() throws SQLException {
    return TableSignature.of(database, "key_groups");
  }

  private static void insertTransaction(Connection connection, Transaction transaction)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + "key_group_transactions (id, group_id, kind, amount_nanos, reason, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, transaction.id());
      insert.setString(2, transaction.groupId());
      insert.setString(3, transaction.kind());
      insert.setLong(4, transaction.amountNanos());
      insert.setString(5, transaction.reason());
      Jdbc.setInstant(insert, 6, transaction.createdAt());
      insert.executeUpdate();
    }
  }

  private List<KeyGroup> query(String sql, Object... parameters) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        List<KeyGroup> groups = new ArrayList<>();
        while (rows.next()) {
          groups.add(
              new KeyGroup(
                  rows.getString("id"),
                  rows.getString("name"),
                  rows.getLong("credits_nanos"),
                  rows.getLong("spend_nanos"),
                  Jdbc.getInstant(rows, "created_at"),
                  rows.getLong("updated_at")));
        }
        return groups;
      }
    }
  }
}
