package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.Eventually;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class ArchiveOnPostgresTest extends ArchiveCommandContract {
  /** The archive run's sessions carry this application name. */
  private static final String RUN = "conduit-archive-under-test";

  @Override
  protected String database() {
    return "postgresql";
  }

  /**
   * PostgreSQL: the test holds a lock on one row of the fourth batch, so the run commits three
   * batches, copies the fourth into the archive and waits to delete it from the log; it is killed
   * there, in the middle of that transaction, which the server then rolls back.
   */
  @Test
  void aRunKilledInTheMiddleOfABatchLosesAndDuplicatesNothing() throws Exception {
    String prefix = "pg-kill";
    checkKilledRunLosesAndDuplicatesNothing(
        prefix,
        60,
        () -> {
          try (Connection locker = db.connect()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
              lock.executeQuery(
                      "SELECT id FROM request_logs WHERE id = '" + prefix + "-000035' FOR UPDATE")
                  .close();
            }
            Process run =
                conduitProcess(
                    "archive",
                    "--older-than",
                    "90d",
                    "--batch-size",
                    "10",
                    "-c",
                    config("?ApplicationName=" + RUN));
            try {
              Eventually.await(
                  "the archive run waiting to delete its fourth batch",
                  PROCESS_START,
                  this::waitingDeletes,
                  waiting -> waiting == 1);
              // Three batches committed; the fourth's copy is not visible to anyone else.
              assertThat(ids("request_logs_archive", prefix)).hasSize(30);
            } finally {
              kill(run);
            }
            locker.rollback();
          }
          Eventually.await(
              "the killed run's sessions gone", this::runSessions, sessions -> sessions == 0);
          return ids("request_logs_archive", prefix).size();
        });
  }

  /** The archive run's statements waiting on a lock (read afresh: not in a transaction). */
  private long waitingDeletes() throws Exception {
    try (Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? "
                    + "AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM request_logs %'")) {
      select.setString(1, RUN);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /** Sessions of the archive run still open on the server. */
  private long runSessions() throws Exception {
    try (Connection connection = db.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      select.setString(1, RUN);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
