package dev.conduit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL sessions this gateway lost inside a transaction, to be ended on the server.
 *
 * <p>When the network drops a connection silently in the middle of a pipelined batch (the inserts
 * sent, the closing Sync not), the server's side waits for the rest of the batch forever: it is
 * "active", not "idle in transaction", so {@code idle_in_transaction_session_timeout} never ends
 * it, and it keeps the row locks of what it already ran. Every retry of the same batch (the same
 * log row ids, the same spend rows) would then wait on those locks. So a transaction that fails on
 * a broken connection leaves its backend's pid here, and the next transaction first ends it with
 * {@code pg_terminate_backend}, which rolls it back and frees its locks.
 *
 * <p>A pid is only ever ended if that backend started before the lost transaction did (measured on
 * the server's clock, from the time elapsed on ours): a pid the server has since given to a new
 * session is left alone. Thread-safe.
 */
final class OrphanedBackends {
  private static final Logger log = LoggerFactory.getLogger(OrphanedBackends.class);

  /** The server side of a lost connection: its pid, and when its lost transaction began. */
  private record Orphan(int pid, long transactionStartedNanos) {}

  private final List<Orphan> orphans = new ArrayList<>();

  /** The pid of the server process behind {@code connection}. */
  static int pidOf(Connection connection) throws SQLException {
    return connection.unwrap(PGConnection.class).getBackendPID();
  }

  /** Remembers the backend of a transaction that failed because its connection broke. */
  synchronized void lost(int pid, long transactionStartedNanos) {
    orphans.add(new Orphan(pid, transactionStartedNanos));
    log.warn(
        "Lost a database connection inside a transaction; its server session (pid {}) will be ended",
        pid);
  }

  /**
   * Ends every remembered backend still alive, through {@code connection}; forgets those it
   * checked. A refusal that is not about the connection (a role not allowed to end sessions, say)
   * is logged and those are forgotten: it must never stop the writes themselves.
   *
   * @throws SQLException when the database cannot be reached (they stay remembered)
   */
  void endAll(Connection connection) throws SQLException {
    List<Orphan> pending;
    synchronized (this) {
      if (orphans.isEmpty()) {
        return;
      }
      pending = List.copyOf(orphans);
    }
    try {
      end(connection, pending);
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        throw e;
      }
      log.warn("Could not end the server sessions of lost connections: {}", e.getMessage());
    }
    synchronized (this) {
      orphans.removeAll(pending);
    }
  }

  private static void end(Connection connection, List<Orphan> pending) throws SQLException {
    try (PreparedStatement end =
        connection.prepareStatement(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE pid = ? AND usename = current_user AND pid <> pg_backend_pid() "
                + "AND backend_start < clock_timestamp() - make_interval(secs => ?)")) {
      for (Orphan orphan : pending) {
        end.setInt(1, orphan.pid());
        end.setDouble(2, (System.nanoTime() - orphan.transactionStartedNanos()) / 1e9);
        try (ResultSet ended = end.executeQuery()) {
          if (ended.next() && ended.getBoolean(1)) {
            log.info("Ended the server session (pid {}) of a lost connection", orphan.pid());
          }
        }
      }
    }
  }
}
