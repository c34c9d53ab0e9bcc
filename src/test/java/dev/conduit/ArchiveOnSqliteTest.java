package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.Eventually;
import org.junit.jupiter.api.Test;

class ArchiveOnSqliteTest extends ArchiveCommandContract {
  @Override
  protected String database() {
    return "sqlite";
  }

  /**
   * SQLite: the run pauses for a minute after each batch of 5 and is killed in its first pause,
   * with one batch committed (PostgreSQL's test kills one inside a transaction).
   */
  @Test
  void aRunKilledPartWayLosesAndDuplicatesNothing() throws Exception {
    int count = 200;
    checkKilledRunLosesAndDuplicatesNothing(
        "sqlite-kill",
        count,
        () -> {
          Process run =
              conduitProcess(
                  "archive",
                  "--older-than",
                  "90d",
                  "--batch-size",
                  "5",
                  "--pause-ms",
                  "60000",
                  "-c",
                  path());
          try {
            Eventually.await(
                "the first batch archived",
                PROCESS_START,
                () -> ids("request_logs_archive", "sqlite-kill").size(),
                archived -> archived > 0);
          } finally {
            kill(run);
          }
          int archived = ids("request_logs_archive", "sqlite-kill").size();
          assertThat(archived).isEqualTo(5);
          return archived;
        });
  }
}
