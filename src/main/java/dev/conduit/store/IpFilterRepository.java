package dev.conduit.store;

import dev.conduit.core.Cidr;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Global IP filters. Blocking: call from a worker thread. */
public final class IpFilterRepository {
  private final Database database;

  public IpFilterRepository(Database database) {
    this.database = database;
  }

  public void insert(IpFilter filter) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO ip_filters (id, cidr, "
                    + "action, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, filter.id());
      insert.setString(2, filter.cidr().toString());
      insert.setString(3, filter.action());
      insert.setString(4, filter.description());
      Jdbc.setInstant(insert, 5, filter.createdAt());
      insert.setLong(6, filter.updatedAt());
      insert.executeUpdate();
    }
  }

  public boolean delete(String id) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM ip_filters WHERE id = ?")) {
      delete.setString(1, id);
      return delete.executeUpdate() == 1;
    }
  }

  public List<IpFilter> findAll() throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT id, cidr, action, "
                    + "description, created_at, updated_at FROM ip_filters ORDER BY created_at, id");
        ResultSet rows = select.executeQuery()) {
      List<IpFilter> filters = new ArrayList<>();
      while (rows.next()) {
        filters.add(
            new IpFilter(
                rows.getString("id"),
                Cidr.of(rows.getString("cidr")),
                "allow".equals(rows.getString("action")),
                rows.getString("description"),
                Jdbc.getInstant(rows, "created_at"),
                rows.getLong("updated_at")));
      }
      return filters;
    }
  }

  public long nextStamp(long nowMillis) throws SQLException {
    return TableSignature.nextStamp(database, "ip_filters", nowMillis);
  }

  public String signature() throws SQLException {
    return TableSignature.of(database, "ip_filters");
  }
}
