package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.store.Database;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.RequestLogSeed;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CSV export sends its whole body every time (issue 11 item 4): 183 rows, a result that fits in
 * one chunk, exported 50 times, always byte for byte the same and complete.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogExportTest extends GatewayOnMock {
  static final int ROWS = 183;
  static final int PARALLEL = 4;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected void started() throws Exception {
    try (Database database = RequestLogSeed.open(db)) {
      RequestLogSeed.write(
          database,
          RequestLogSeed.rows("export", Instant.parse("2031-03-01T00:00:00Z"), ROWS, "key-x"));
    }
  }

  /**
   * Four exports at a time keep the two cores busy, so the handler's thread is often preempted
   * right after handing the query to a worker: the moment the old code raced in.
   */
  @Test
  void theExportIsCompleteAndIdenticalFiftyTimesInARow() throws Exception {
    String expected = export();
    assertThat(expected.split("\n")).as("header and every row").hasSize(ROWS + 1);
    ExecutorService callers = Executors.newFixedThreadPool(PARALLEL);
    try {
      for (int run = 0; run < 50; run++) {
        List<Future<String>> bodies = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
          bodies.add(callers.submit(this::export));
        }
        for (Future<String> body : bodies) {
          assertThat(body.get(60, TimeUnit.SECONDS)).as("run %d", run).isEqualTo(expected);
        }
      }
    } finally {
      callers.shutdownNow();
    }
  }

  private String export() throws Exception {
    HttpResponse<String> export = gateway.admin("GET", "/api/admin/logs/export?format=csv", null);
    assertThat(export.statusCode()).isEqualTo(200);
    return export.body();
  }
}
