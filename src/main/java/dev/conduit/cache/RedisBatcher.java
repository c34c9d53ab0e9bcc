package dev.conduit.cache;

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
 */
final class RedisBatcher {
  private final Redis redis;
  private final boolean batching;
  private final ThreadLocal<Lane> reads = ThreadLocal.withInitial(Lane::new);
  private final ThreadLocal<Lane> writes = ThreadLocal.withInitial(Lane::new);

  /**
   * @param batching false for a Redis Cluster: every command is then sent on its own
   */
  RedisBatcher(Redis redis, boolean batching) {
    this.redis = redis;
    this.batching = batching;
  }

  /** Sends a command that reads; its answer completes the future. */
  Future<Response> read(Request command) {
    return send(command, reads);
  }

  /** Sends a command that writes; its answer completes the future. */
  Future<Response> write(Request command) {
    return send(command, writes);
  }

  private Future<Response> send(Request command, ThreadLocal<Lane> lanes) {
    Context context = Vertx.currentContext();
    if (!batching || context == null || !Context.isOnEventLoopThread()) {
      return redis.send(command);
    }
    return lanes.get().add(command, context);
  }

  /** One event loop's commands of one kind waiting for the end of its turn. Confined to it. */
  private final class Lane {
    private List<Request> commands = new ArrayList<>();
    private List<Promise<Response>> answers = new ArrayList<>();

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
      if (sent.size() == 1) {
        redis.send(sent.get(0)).onComplete(waiting.get(0));
        return;
      }
      redis
          .batch(sent)
          .onComplete(
              done -> {
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
