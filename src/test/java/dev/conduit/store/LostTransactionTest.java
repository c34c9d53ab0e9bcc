package dev.conduit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.config.DatabaseConfig;
import dev.conduit.testing.BlackHoleProxy;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection the network drops silently in the middle of a batch, after the server ran the
 * inserts but before it got the batch's end: the server's session lives on inside that transaction,
 * "active", holding the rows' locks, and no server timeout ends it. The retry of the same batch
 * (same log row ids, same spend rows) must not wait on it forever: the gateway ends that session
 * first, and the retry writes the batch exactly once.
 */
class LostTransactionTest {
  private TestDatabases.TestDatabase db;
  private BlackHoleProxy proxy;
  private Database database;

  @BeforeEach
  void open() throws Exception {
    db = TestDatabases.postgres();
    URI direct = URI.create(db.url().substring("jdbc:".length()));
    proxy = new BlackHoleProxy(direct.getHost(), direct.getPort());
    String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + direct.getPath();
    // A 1 s socket timeout: the lost batch, and a retry stuck behind its locks, fail after it.
    DatabaseConfig config =
        new DatabaseConfig(viaProxy, db.username(), null, 2, 2_000L, 1_000L, 5_000L, 1_000L, null);
    database = Database.open(config, new SimpleMeterRegistry());
  }

  @AfterEach
  void close() throws Exception {
    database.close();
    proxy.close();
    db.close();
  }

  @Test
  void aRequestLogBatchLostMidwayIsWrittenOnceByItsRetry() throws Exception {
    RequestLogRepository logs = new RequestLogRepository(database);
    logs.insertBatch(List.of(row("req-warm")));

    proxy.cutBeforeNextSync();
    List<RequestLogEntry> batch = List.of(row("req-1"), row("req-2"));
    assertThatThrownBy(() -> logs.insertBatch(batch)).isInstanceOf(SQLException.class);
    int orphan = awaitSessionHoldingAWriteTransaction();

    logs.insertBatch(batch);

    assertThat(count("SELECT count(*) FROM request_logs WHERE id IN ('req-1', 'req-2')"))
        .isEqualTo(2);
    Eventually.await("the lost session to end", () -> sessionAlive(orphan), alive -> !alive);
  }

  @Test
  void aSpendFlushLostMidwayIsAddedOnceByItsRetry() throws Exception {
    SpendRepository spend = new SpendRepository(database);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    spend.add(deltas("key-1", today, 100));

    proxy.cutBeforeNextSync();
    SpendRepository.Deltas lost = deltas("key-1", today, 50);
    assertThatThrownBy(() -> spend.add(lost)).isInstanceOf(SQLException.class);
    int orphan = awaitSessionHoldingAWriteTransaction();

    spend.add(lost);

    assertThat(spend.keySpend("key-1", null)).isEqualTo(150);
    assertThat(spend.keySpend("key-1", today)).isEqualTo(150);
    Eventually.await("the lost session to end", () -> sessionAlive(orphan), alive -> !alive);
  }

  @Test
  void aSpendFlushWhoseCommitLandedUnansweredIsNotAddedTwiceByItsRetry() throws Exception {
    SpendRepository spend = new SpendRepository(database);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    spend.add(deltas("key-1", today, 100));

    proxy.cutAfterNextCommit();
    SpendRepository.Deltas unanswered = deltas("key-1", today, 50);
    assertThatThrownBy(() -> spend.add(unanswered)).isInstanceOf(SQLException.class);
    assertThat(spend.keySpend("key-1", null)).as("the commit landed").isEqualTo(150);

    assertThat(spend.add(unanswered)).as("applied by the retry").isFalse();

    assertThat(spend.keySpend("key-1", null)).isEqualTo(150);
    assertThat(spend.keySpend("key-1", today)).isEqualTo(150);
    assertThat(spend.add(deltas("key-1", today, 25))).isTrue();
    assertThat(spend.keySpend("key-1", null)).isEqualTo(175);
  }

  /**
   * The pid of the lost transaction's server session: still there, inside a transaction that wrote
   * (it holds a transaction id), as the scenario needs.
   */
  private int awaitSessionHoldingAWriteTransaction() throws Exception {
    return Eventually.await(
        "the lost batch's session holding its transaction",
        () ->
            count(
                "SELECT coalesce(max(a.pid), 0) FROM pg_stat_activity a "
                    + "JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'transactionid' "
                    + "WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"),
        pid -> pid != 0);
  }

  private boolean sessionAlive(int pid) throws SQLException {
    return count("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid) > 0;
  }

  /** A one-number query, on a connection of its own (not through the proxy). */
  private int count(String sql) throws SQLException {
    try (Connection connection = db.connect();
        PreparedStatement query = connection.prepareStatement(sql);
        ResultSet result = query.executeQuery()) {
      result.next();
      return result.getInt(1);
    }
  }

  private static SpendRepository.Deltas deltas(String keyId, LocalDate day, long nanos) {
    return new SpendRepository.Deltas(
        UUID.randomUUID().toString(),
        Map.of(new SpendRepository.KeyDay(keyId, day), nanos),
        Map.of(),
        Map.of());
  }

  private static RequestLogEntry row(String id) {
    return new RequestLogEntry(
        id,
        Instant.now(),
        id,
        "key-1",
        "chat",
        "gpt-4o",
        "openai",
        "gpt-4o",
        200,
        false,
        10,
        5,
        0,
        12,
        null,
        1,
        null,
        null,
        1_000L,
        null,
        false,
        null);
  }
}
