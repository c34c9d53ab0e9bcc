package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.store.Database;
import dev.conduit.store.RequestLogQueries;
import dev.conduit.testing.RequestLogSeed;
import dev.conduit.testing.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.ExecutorServiceFactory;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The interleaving the CSV export once lost its body in (issue 11 item 4), made certain: the thread
 * that hands blocking work to a worker waits until the worker is done, as when the event loop is
 * preempted right after handing it over on a busy machine. The export of a result that fits in one
 * chunk must still be complete. Real database, real HTTP; only the scheduling is forced, through
 * Vert.x's bootstrap (its one place to plug in how worker pools run tasks). Before the fix this
 * answered 200 with an empty body and logged "Response has already been written". HTTP/1.1: an
 * HTTP/2 handler holds the connection's lock, which the waiting would deadlock on.
 */
class LogExportOrderTest {
  static final int ROWS = 183;

  @Test
  void anExportWhoseReaderFinishesBeforeTheHandlerReturnsIsComplete() throws Exception {
    try (TestDatabases.TestDatabase db = TestDatabases.sqlite();
        Database database = RequestLogSeed.open(db)) {
      RequestLogSeed.write(
          database,
          RequestLogSeed.rows("order", Instant.parse("2031-03-01T00:00:00Z"), ROWS, "key-x"));
      Vertx vertx =
          VertxBootstrap.create().executorServiceFactory(new WaitForWorkers()).init().vertx();
      try {
        Router router = Router.router(vertx);
        new UsageAdminRoutes(new RequestLogQueries(database)).mount(router);
        HttpServer server =
            vertx
                .createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> export =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.actualPort()
                                + "/api/admin/logs/export?format=csv"))
                    .timeout(java.time.Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.body().split("\n")).as("header and every row").hasSize(ROWS + 1);
      } finally {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Worker pools whose submitter waits until each task has run (on the pool's own thread). */
  private static final class WaitForWorkers implements ExecutorServiceFactory {
    @Override
    public ExecutorService createExecutor(
        java.util.concurrent.ThreadFactory threadFactory,
        Integer concurrency,
        Integer maxConcurrency) {
      ExecutorService pool = Executors.newFixedThreadPool(maxConcurrency, threadFactory);
      return new AbstractExecutorService() {
        @Override
        public void execute(Runnable task) {
          try {
            pool.submit(task).get();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
          }
        }

        @Override
        public void shutdown() {
          pool.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
          return pool.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
          return pool.isShutdown();
        }

        @Override
        public boolean isTerminated() {
          return pool.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
          return pool.awaitTermination(timeout, unit);
        }
      };
    }
  }
}
