package dev.conduit.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.conduit.core.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The price table in the database. Blocking: call from a worker thread. */
public final class ModelCostRepository {
  private static final String COLUMNS =
      "id, provider, model, input_nanos_per_mtok, "
          + "output_nanos_per_mtok, cached_input_nanos_per_mtok, cache_write_nanos_per_mtok, "
          + "per_request_nanos, per_image_nanos, max_output_tokens, source, as_of, updated_at, "
          + "per_image_variant_nanos, per_audio_second_nanos, per_mchar_nanos, "
          + "per_search_unit_nanos";

  private final Database database;

  public ModelCostRepository(Database database) {
    this.database = database;
  }

  public List<ModelPrice> findAll() throws SQLException {
    return query("SELECT " + COLUMNS + " FROM model_costs ORDER BY provider, model");
  }

  public Optional<ModelPrice> findById(String id) throws SQLException {
    List<ModelPrice> found = query("SELECT " + COLUMNS + " FROM model_costs WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  public Optional<ModelPrice> find(String provider, String model) throws SQLException {
    List<ModelPrice> found =
        query(
            "SELECT " + COLUMNS + " FROM model_costs WHERE provider = ? " + "AND model = ?",
            provider,
            model);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Inserts a new row; a row for the same provider and model already present is an error. */
  public void insert(ModelPrice price) throws SQLException {
    try (Connection connection = database.connection()) {
      insert(connection, price);
    }
  }

  /** Replaces the row with {@code price.id()}; false when there is none. */
  public boolean update(ModelPrice price) throws SQLException {
    try (Connection connection = database.connection()) {
      return update(connection, price);
    }
  }

  public boolean delete(String id) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM model_costs WHERE id = ?")) {
      delete.setString(1, id);
      return delete.executeUpdate() == 1;
    }
  }

  /**
   * Inserts or replaces, by provider and model, every price in one transaction; returns how many
   * were new. The id of an existing row is kept.
   */
  public int upsertAll(List<ModelPrice> prices) throws SQLException {
    return database.inTransaction(
        connection -> {
          int created = 0;
          for (ModelPrice price : prices) {
            Optional<String> existing = idOf(connection, price.provider(), price.model());
            if (existing.isPresent()) {
              update(connection, withId(price, existing.get()));
            } else {
              insert(connection, price);
              created++;
            }
          }
          return created;
        });
  }

  /** A change stamp for a row about to be written (see {@link TableSignature#nextStamp}). */
  public long nextStamp(long nowMillis) throws SQLException {
    return TableSignature.nextStamp(database, "model_costs", nowMillis);
  }

  /** How many rows there are and the newest change: a cheap test for "did anything change". */
  public String signature() throws SQLException {
    return TableSignature.of(database, "model_costs");
  }

  private static Optional<String> idOf(Connection connection, String provider, String model)
      throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id FROM model_costs WHERE provider = ? AND model = ?")) {
      select.setString(1, provider);
      select.setString(2, model);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  private static void insert(Connection connection, ModelPrice price) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO model_costs ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, price.id());
      insert.setString(2, price.provider());
      insert.setString(3, price.model());
      bindValues(insert, 4, price);
      insert.executeUpdate();
    }
  }

  private static boolean update(Connection connection, ModelPrice price) throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE model_costs SET "
                + "provider = ?, model = ?, input_nanos_per_mtok = ?, output_nanos_per_mtok = ?, "
                + "cached_input_nanos_per_mtok = ?, cache_write_nanos_per_mtok = ?, "
                + "per_request_nanos = ?, per_image_nanos = ?, max_output_tokens = ?, source = ?, "
                + "as_of = ?, updated_at = ?, per_image_variant_nanos = ?, "
                + "per_audio_second_nanos = ?, per_mchar_nanos = ?, per_search_unit_nanos = ? "
                + "WHERE id = ?")) {
      update.setString(1, price.provider());
      update.setString(2, price.model());
      bindValues(update, 3, price);
      update.setString(17, price.id());
      return update.executeUpdate() == 1;
    }
  }

  private static void bindValues(PreparedStatement statement, int first, ModelPrice price)
      throws SQLException {
    statement.setLong(first, price.inputNanosPerMTok());
    statement.setLong(first + 1, price.outputNanosPerMTok());
    Jdbc.setNullableLong(statement, first + 2, price.cachedInputNanosPerMTok());
    Jdbc.setNullableLong(statement, first + 3, price.cacheWriteNanosPerMTok());
    Jdbc.setNullableLong(statement, first + 4, price.perRequestNanos());
    Jdbc.setNullableLong(statement, first + 5, price.perImageNanos());
    Jdbc.setNullableLong(statement, first + 6, price.maxOutputTokens());
    statement.setString(first + 7, price.source());
    statement.setString(first + 8, price.asOf());
    statement.setLong(first + 9, price.updatedAt());
    statement.setString(first + 10, variantsJson(price.perImageVariantNanos()));
    Jdbc.setNullableLong(statement, first + 11, price.perAudioSecondNanos());
    Jdbc.setNullableLong(statement, first + 12, price.perMCharNanos());
    Jdbc.setNullableLong(statement, first + 13, price.perSearchUnitNanos());
  }

  /** The variant prices as stored: a JSON object of nanos per image; null for none. */
  static String variantsJson(Map<String, Long> variants) {
    if (variants == null || variants.isEmpty()) {
      return null;
    }
    try {
      return Json.MAPPER.writeValueAsString(new TreeMap<>(variants));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Long> variants(String json) throws SQLException {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      Map<String, Long> variants = new TreeMap<>();
      Json.MAPPER
          .readTree(json)
          .fields()
          .forEachRemaining(field -> variants.put(field.getKey(), field.getValue().asLong()));
      return variants;
    } catch (JsonProcessingException e) {
      throw new SQLException("per_image_variant_nanos is not a JSON object: " + json, e);
    }
  }

  private static ModelPrice withId(ModelPrice price, String id) {
    return new ModelPrice(
        id,
        price.provider(),
        price.model(),
        price.inputNanosPerMTok(),
        price.outputNanosPerMTok(),
        price.cachedInputNanosPerMTok(),
        price.cacheWriteNanosPerMTok(),
        price.perRequestNanos(),
        price.perImageNanos(),
        price.perImageVariantNanos(),
        price.perAudioSecondNanos(),
        price.perMCharNanos(),
        price.perSearchUnitNanos(),
        price.maxOutputTokens(),
        price.source(),
        price.asOf(),
        price.updatedAt());
  }

  private List<ModelPrice> query(String sql, Object... parameters) throws SQLException {
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = select.executeQuery()) {
        List<ModelPrice> prices = new ArrayList<>();
        while (rows.next()) {
          prices.add(
              new ModelPrice(
                  rows.getString("id"),
                  rows.getString("provider"),
                  rows.getString("model"),
                  rows.getLong("input_nanos_per_mtok"),
                  rows.getLong("output_nanos_per_mtok"),
                  Jdbc.getNullableLong(rows, "cached_input_nanos_per_mtok"),
                  Jdbc.getNullableLong(rows, "cache_write_nanos_per_mtok"),
                  Jdbc.getNullableLong(rows, "per_request_nanos"),
                  Jdbc.getNullableLong(rows, "per_image_nanos"),
                  variants(rows.getString("per_image_variant_nanos")),
                  Jdbc.getNullableLong(rows, "per_audio_second_nanos"),
                  Jdbc.getNullableLong(rows, "per_mchar_nanos"),
                  Jdbc.getNullableLong(rows, "per_search_unit_nanos"),
                  Jdbc.getNullableLong(rows, "max_output_tokens"),
                  rows.getString("source"),
                  rows.getString("as_of"),
                  rows.getLong("updated_at")));
        }
        return prices;
      }
    }
  }
}
