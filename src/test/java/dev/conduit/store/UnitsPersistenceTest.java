package dev.conduit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.Units;
import dev.conduit.core.Usd;
import dev.conduit.pricing.PriceInput;
import dev.conduit.testing.RequestLogSeed;
import dev.conduit.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Migration V27 on both databases: request log rows keep the units a call consumed (null for token
 * calls), in the live log and in the archive, and prices keep their unit rates.
 */
class UnitsPersistenceTest {
  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aLogRowKeepsItsUnitsLiveAndArchived(String kind) throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.create(kind);
        Database database = RequestLogSeed.open(db)) {
      RequestLogEntry images = entry("img", "image_generations", Units.images(3), 240_000_000L);
      RequestLogEntry audio =
          entry("aud", "audio_transcriptions", Units.audioSeconds(12.25), 1_225_000L);
      RequestLogEntry chat = entry("chat", "chat_completions", null, 1_000L);
      new RequestLogRepository(database).insertBatch(List.of(images, audio, chat));

      RequestLogQueries queries = new RequestLogQueries(database);
      assertThat(queries.find("img", false).orElseThrow().units()).isEqualTo(Units.images(3));
      assertThat(queries.find("img", false).orElseThrow().costNanos()).isEqualTo(240_000_000L);
      assertThat(queries.find("aud", false).orElseThrow().units())
          .isEqualTo(Units.audioSeconds(12.25));
      assertThat(queries.find("chat", false).orElseThrow().units()).isNull();
      try (var connection = db.connect();
          var rows =
              connection
                  .createStatement()
                  .executeQuery("SELECT unit_kind, units FROM request_logs WHERE id = 'img'")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("images");
        assertThat(rows.getDouble(2)).isEqualTo(3.0);
      }

      new RequestLogArchive(database).archiveOlderThan(AT.plusSeconds(3_600), 10, moved -> {});
      assertThat(queries.find("aud", false)).isEmpty();
      assertThat(queries.find("aud", true).orElseThrow().units())
          .isEqualTo(Units.audioSeconds(12.25));
      assertThat(queries.find("chat", true).orElseThrow().units()).isNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void pricesKeepTheirUnitRates(String kind) throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.create(kind);
        Database database = RequestLogSeed.open(db)) {
      ModelCostRepository repository = new ModelCostRepository(database);
      PriceInput input =
          new PriceInput(
              "openai",
              "dall-e-3",
              BigDecimal.ZERO,
              BigDecimal.ZERO,
              null,
              null,
              null,
              new BigDecimal("0.04"),
              null,
              Map.of("1024x1024/hd", new BigDecimal("0.08"), "1792x1024", new BigDecimal("0.08")),
              new BigDecimal("0.0001"),
              new BigDecimal("15"),
              new BigDecimal("0.002"));
      repository.insert(input.toPrice("p1", "admin", null, 1));

      ModelPrice stored = repository.find("openai", "dall-e-3").orElseThrow();
      assertThat(stored.perImageNanos()).isEqualTo(Usd.toNanos(new BigDecimal("0.04")));
      assertThat(stored.perImageVariantNanos())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("1024x1024/hd", 80_000_000L, "1792x1024", 80_000_000L));
      assertThat(stored.perAudioSecondNanos()).isEqualTo(100_000L);
      assertThat(stored.perMCharNanos()).isEqualTo(15 * Usd.ONE);
      assertThat(stored.perSearchUnitNanos()).isEqualTo(2_000_000L);
      assertThat(stored.cost(Units.images(2), "1792x1024/hd")).isEqualTo(160_000_000L);

      // An update clears what it leaves out; a token-only row reads back without unit rates.
      repository.update(
          new ModelPrice(
              "p1", "openai", "dall-e-3", 1, 2, null, null, null, null, null, "admin", null, 2));
      ModelPrice cleared = repository.find("openai", "dall-e-3").orElseThrow();
      assertThat(cleared.perImageVariantNanos()).isEmpty();
      assertThat(cleared.perAudioSecondNanos()).isNull();
      assertThat(cleared.perMCharNanos()).isNull();
      assertThat(cleared.perSearchUnitNanos()).isNull();
      assertThat(PriceInput.cells(stored))
          .containsSubsequence(
              "{\"1024x1024/hd\":0.08,\"1792x1024\":0.08}", "0.0001", "15", "0.002");
    }
  }

  private static RequestLogEntry entry(String id, String endpoint, Units units, long cost) {
    return new RequestLogEntry(
        id,
        AT,
        "req-" + id,
        "key-1",
        endpoint,
        "alias",
        "openai",
        "model",
        200,
        false,
        0,
        0,
        0,
        50,
        20L,
        1,
        null,
        null,
        cost,
        null,
        false,
        null,
        units);
  }
}
