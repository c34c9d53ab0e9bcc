package dev.conduit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.config.DatabaseConfig;
import dev.conduit.core.Units;
import dev.conduit.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request log batches as each database writes them (SQLite as a JDBC batch, PostgreSQL as one
 * statement of arrays): every column kept, nulls included, and a batch written again (a retry whose
 * first commit did land) neither duplicated nor counted twice in the daily rollups.
 */
class RequestLogRepositoryTest {
  private static final Instant AT = Instant.parse("2026-12-04T08:01:02.345Z");

  private static final RequestLogEntry FULL =
      new RequestLogEntry(
          "0193a5b4-7c1d-7e2f-8a3b-000000000001",
          AT,
          "req-1",
          "vk-1",
          "images_generations",
          "gpt-image",
          "openai",
          "gpt-image-1",
          502,
          true,
          12,
          34,
          5,
          678,
          90L,
          3,
          "upstream_error",
          "the provider said \"no\" \u00e9",
          1_234_567L,
          "group-1",
          true,
          7_654_321L,
          Units.images(2));

  private static final RequestLogEntry SPARSE =
      new RequestLogEntry(
          "0193a5b4-7c1d-7e2f-8a3b-000000000002",
          AT.plusMillis(1),
          "req-2",
          null,
          "chat_completions",
          "gpt-image",
          null,
          null,
          200,
          false,
          0,
          0,
          0,
          1,
          null,
          1,
          null,
          null,
          null,
          null);

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aBatchKeepsEveryColumnAndIsWrittenOnceHoweverOftenItIsSent(String kind) throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.create(kind);
        Database database =
            Database.open(
                new DatabaseConfig(db.url(), db.username(), null, 2), new SimpleMeterRegistry())) {
      RequestLogRepository repository = new RequestLogRepository(database);
      repository.insertBatch(List.of(FULL, SPARSE));
      repository.insertBatch(List.of(FULL, SPARSE));

      try (Connection connection = database.connection()) {
        assertThat(count(connection, "SELECT COUNT(*) FROM request_logs")).isEqualTo(2);
        assertThat(
                count(
                    connection,
                    "SELECT requests FROM request_log_daily_by_model"
                        + " WHERE dimension = 'gpt-image'"))
            .isEqualTo(2);
        try (PreparedStatement select =
            connection.prepareStatement("SELECT * FROM request_logs ORDER BY id")) {
          try (ResultSet rows = select.executeQuery()) {
            assertThat(rows.next()).isTrue();
            assertFull(rows);
            assertThat(rows.next()).isTrue();
            assertSparse(rows);
            assertThat(rows.next()).isFalse();
          }
        }
      }
    }
  }

  private static void assertFull(ResultSet row) throws SQLException {
    assertThat(row.getString("id")).isEqualTo(FULL.id());
    assertThat(timestamp(row)).isEqualTo(AT);
    assertThat(row.getString("request_id")).isEqualTo("req-1");
    assertThat(row.getString("virtual_key_id")).isEqualTo("vk-1");
    assertThat(row.getString("endpoint")).isEqualTo("images_generations");
    assertThat(row.getString("model")).isEqualTo("gpt-image");
    assertThat(row.getString("provider")).isEqualTo("openai");
    assertThat(row.getString("provider_model")).isEqualTo("gpt-image-1");
    assertThat(row.getInt("status_code")).isEqualTo(502);
    assertThat(row.getBoolean("stream")).isTrue();
    assertThat(row.getLong("input_tokens")).isEqualTo(12);
    assertThat(row.getLong("output_tokens")).isEqualTo(34);
    assertThat(row.getLong("cached_tokens")).isEqualTo(5);
    assertThat(row.getLong("latency_ms")).isEqualTo(678);
    assertThat(row.getLong("ttfb_ms")).isEqualTo(90);
    assertThat(row.getInt("attempts")).isEqualTo(3);
    assertThat(row.getString("error_type")).isEqualTo("upstream_error");
    assertThat(row.getString("error_message")).isEqualTo("the provider said \"no\" \u00e9");
    assertThat(row.getLong("cost_nanos")).isEqualTo(1_234_567L);
    assertThat(row.getString("group_id")).isEqualTo("group-1");
    assertThat(row.getBoolean("cache_hit")).isTrue();
    assertThat(row.getLong("cost_saved_nanos")).isEqualTo(7_654_321L);
    assertThat(row.getString("unit_kind")).isEqualTo("images");
    assertThat(row.getDouble("units")).isEqualTo(2.0);
  }

  private static void assertSparse(ResultSet row) throws SQLException {
    assertThat(row.getString("id")).isEqualTo(SPARSE.id());
    assertThat(timestamp(row)).isEqualTo(AT.plusMillis(1));
    assertThat(row.getString("virtual_key_id")).isNull();
    assertThat(row.getString("provider")).isNull();
    assertThat(row.getBoolean("stream")).isFalse();
    assertThat(row.getObject("ttfb_ms")).isNull();
    assertThat(row.getString("error_message")).isNull();
    assertThat(row.getObject("cost_nanos")).isNull();
    assertThat(row.getString("group_id")).isNull();
    assertThat(row.getBoolean("cache_hit")).isFalse();
    assertThat(row.getObject("cost_saved_nanos")).isNull();
    assertThat(row.getString("unit_kind")).isNull();
    assertThat(row.getObject("units")).isNull();
  }

  /** SQLite keeps epoch milliseconds, PostgreSQL a timestamptz. */
  private static Instant timestamp(ResultSet row) throws SQLException {
    Object value = row.getObject("timestamp");
    return value instanceof Number millis
        ? Instant.ofEpochMilli(millis.longValue())
        : row.getTimestamp("timestamp").toInstant();
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
