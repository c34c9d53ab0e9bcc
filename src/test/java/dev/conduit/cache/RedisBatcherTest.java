package dev.conduit.cache;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.testing.RedisServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Commands gathered in one event-loop turn, on a throwaway redis-server: each gets its own answer,
 * a write that fails does not fail the reads sent in the same turn, and reads a frozen Redis does
 * not answer fail once their budget is spent while writes wait for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisBatcherTest {
  private RedisServer server;
  private Vertx vertx;
  private Redis redis;
  private RedisBatcher batcher;

  @BeforeAll
  void start() throws Exception {
    server = new RedisServer();
    server.start();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, server.url());
    batcher = new RedisBatcher(redis, true, vertx, 30_000);
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    server.close();
  }

  /** Runs {@code commands} in one turn of an event loop; answers what they answered. */
  private List<Response> inOneTurn(Supplier<List<Future<Response>>> commands) throws Exception {
    Context loop = vertx.getOrCreateContext();
    Promise<List<Response>> all = Promise.promise();
    loop.runOnContext(
        v -> {
          List<Future<Response>> sent = commands.get();
          Future.join(sent)
              .onComplete(
                  done -> {
                    List<Response> answers = new ArrayList<>();
                    for (Future<Response> one : sent) {
                      answers.add(one.succeeded() ? one.result() : null);
                    }
                    all.complete(answers);
                  });
        });
    return all.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void everyCommandOfATurnGetsItsOwnAnswer() throws Exception {
    int count = 200;
    inOneTurn(
        () -> {
          List<Future<Response>> writes = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            writes.add(batcher.write(Request.cmd(Command.SET).arg("batch:" + i).arg("value-" + i)));
          }
          return writes;
        });

    List<Response> read =
        inOneTurn(
            () -> {
              List<Future<Response>> reads = new ArrayList<>();
              for (int i = 0; i <= count; i++) {
                reads.add(batcher.read(Request.cmd(Command.GET).arg("batch:" + i)));
              }
              return reads;
            });

    for (int i = 0; i < count; i++) {
      assertThat(read.get(i)).isNotNull();
      assertThat(read.get(i).toString()).isEqualTo("value-" + i);
    }
    assertThat(read.get(count)).as("a key that is not there").isNull();
  }

  @Test
  void aFailingWriteLeavesTheReadsOfItsTurnAnswered() throws Exception {
    redis
        .send(Request.cmd(Command.SET).arg("fail:text").arg("not a number"))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    inOneTurn(() -> List.of(batcher.write(Request.cmd(Command.SET).arg("fail:held").arg("kept"))));

    List<Response> answers =
        inOneTurn(
            () ->
                List.of(
                    batcher.read(Request.cmd(Command.GET).arg("fail:held")),
                    batcher.write(Request.cmd(Command.INCR).arg("fail:text")),
                    batcher.write(Request.cmd(Command.SET).arg("fail:other").arg("x")),
                    batcher.read(Request.cmd(Command.GET).arg("fail:held"))));

    assertThat(answers.get(0)).isNotNull();
    assertThat(answers.get(0).toString()).isEqualTo("kept");
    assertThat(answers.get(1)).as("INCR of text fails").isNull();
    assertThat(answers.get(3).toString()).isEqualTo("kept");
  }

  @Test
  void readsAFrozenRedisDoesNotAnswerFailOverBudgetAndWritesWaitForIt() throws Exception {
    RedisBatcher impatient = new RedisBatcher(redis, true, vertx, 200);
    CompletableFuture<List<Future<Response>>> sent = new CompletableFuture<>();
    server.freeze();
    try {
      vertx
          .getOrCreateContext()
          .runOnContext(
              v ->
                  sent.complete(
                      List.of(
                          impatient.read(Request.cmd(Command.GET).arg("frozen:a")),
                          impatient.read(Request.cmd(Command.GET).arg("frozen:b")),
                          impatient.write(Request.cmd(Command.SET).arg("frozen:c").arg("x")))));
      List<Future<Response>> answers = sent.get(30, TimeUnit.SECONDS);
      for (Future<Response> read : answers.subList(0, 2)) {
        assertThatThrownBy(() -> read.toCompletionStage().toCompletableFuture().get(30, SECONDS))
            .hasCause(RedisBatcher.OVER_BUDGET);
      }
      assertThat(answers.get(2).isComplete()).as("the write, Redis still frozen").isFalse();
      server.thaw();
      assertThat(answers.get(2).toCompletionStage().toCompletableFuture().get(30, SECONDS))
          .hasToString("OK");
    } finally {
      server.thaw();
    }
  }
}
