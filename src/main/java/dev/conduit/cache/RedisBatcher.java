package dev.conduit.cache;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends the cache tier's commands to Redis gathered per event-loop turn: the commands an event loop
 * issues while it handles one round of I/O leave in one write, as one pipelined batch, instead of
 * one write (and one wake-up of Redis) each. Sent one by one through the pool, the GET and SET of a
 * miss cost a gateway on 2 cores with Redis two thirds of its throughput; batched, misses went from
 * about 6,800 to 9,000-11,000 a second in A/B pairs (docs/caching.md, Performance).
 *
 * <p>Reads and writes go in separate batches: Vert.x fails a whole batch when one command in it
 * fails, and a Redis refusing writes (full, {@code noeviction}) must not turn lookups into misses.
 * A command issued off an event loop, or against a Redis Cluster (a batch must stay in one hash
 * slot, and cache keys are spread over all of them), is sent on its own.
 *
 * <p>Reads have a time budget: a read Redis has not answered within it fails with {@link
 * #OVER_BUDGET}. A batch of reads shares one timer (a timer per lookup cost about 2 % of a
 * gateway's CPU time on Redis-tier misses).
 */
final class RedisBatcher {
  /** The failure of a read Redis did not answer within the budget. */
  static final RuntimeException OVER_BUDGET =
      new RuntimeException("Redis did not answer within the lookup budget", null, false, false) {
        private static final long serialVersionUID = 1L;
      };

  private final Redis redis;
  private final boolean batching;
  private final Vertx vertx;
  private final long readBudgetMs;
  private final ThreadLocal<Lane> reads;
  private final ThreadLocal<Lane> writes = ThreadLocal.withInitial(() -> new Lane(0));

  /**
   * @param batching false for a Redis Cluster: every command is then sent on its own
   * @param readBudgetMs how long a read may wait for its answer
   */
  RedisBatcher(Redis redis, boolean batching, Vertx vertx, long readBudgetMs) {
    this.redis = redis;
    this.batching = batching;
    this.vertx = vertx;
    this.readBudgetMs = readBudgetMs;
    this.reads = ThreadLocal.withInitial(() -> new Lane(readBudgetMs));
  }

  /**
   * Sends a command that reads; its answer completes the future, or {@link #OVER_BUDGET} fails it
   * once the read budget is spent.
   */
  Future<Response> read(Request command) {
    return send(command, reads, readBudgetMs);
  }

  /** Sends a command that writes; its answer completes the future. */
  Future<Response> write(Request command) {
    return send(command, writes, 0);
  }

  private Future<Response> send(Request command, ThreadLocal<Lane> lanes, long budgetMs) {
    Context context = Vertx.currentContext();
    if (!batching || context == null || !Context.isOnEventLoopThread()) {
      if (budgetMs <= 0) {
        return redis.send(command);
      }
      Promise<Response> answer = Promise.promise();
      long timer = budget(List.of(answer), budgetMs);
      redis.send(command).onComplete(done -> answered(answer, timer, done));
      return answer.future();
    }
    return lanes.get().add(command, context);
  }

  /** Fails what is still waiting once {@code budgetMs} have passed; the timer's id, or -1. */
  private long budget(List<Promise<Response>> waiting, long budgetMs) {
    if (budgetMs <= 0) {
      return -1;
    }
    return vertx.setTimer(
        budgetMs,
        id -> {
          for (Promise<Response> answer : waiting) {
            answer.tryFail(OVER_BUDGET);
          }
        });
  }

  /** Completes a single command's future with its answer, and stops its timer. */
  private void answered(Promise<Response> waiting, long timer, AsyncResult<Response> done) {
    stop(timer);
    if (done.succeeded()) {
      waiting.tryComplete(done.result());
    } else {
      waiting.tryFail(done.cause());
    }
  }

  private void stop(long timer) {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
  }

  /** One event loop's commands of one kind waiting for the end of its turn. Confined to it. */
  private final class Lane {
    private final long budgetMs;
    private List<Request> commands = new ArrayList<>();
    private List<Promise<Response>> answers = new ArrayList<>();

    Lane(long budgetMs) {
      this.budgetMs = budgetMs;
    }

    Future<Response> add(Request command, Context context) {
      Promise<Response> answer = Promise.promise();
      commands.add(command);
      answers.add(answer);
      if (commands.size() == 1) {
        // Runs after the I/O events this turn is handling, so their commands join this batch.
        context.runOnContext(v -> flush());
      }
      return answer.future();
    }

    private void flush() {
      List<Request> sent = commands;
      List<Promise<Response>> waiting = answers;
      commands = new ArrayList<>();
      answers = new ArrayList<>();
      long timer = budget(waiting, budgetMs);
      if (sent.size() == 1) {
        redis.send(sent.get(0)).onComplete(done -> answered(waiting.get(0), timer, done));
        return;
      }
      redis
          .batch(sent)
          .onComplete(
              done -> {
                stop(timer);
                for (int i = 0; i < waiting.size(); i++) {
                  if (done.succeeded()) {
                    waiting.get(i).tryComplete(done.result().get(i));
                  } else {
                    waiting.get(i).tryFail(done.cause());
                  }
                }
              });
    }
  }
}
