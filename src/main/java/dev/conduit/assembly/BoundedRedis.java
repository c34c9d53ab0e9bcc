package dev.conduit.assembly;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Redis Cluster client with a bound on the commands in flight. Vert.x's cluster client takes,
 * for every command, one pooled connection to each node of the cluster; when more commands than a
 * node's pool holds wait at once, some hold connections to some nodes while waiting for others, and
 * none can finish (seen here as counter operations that never answered under a burst of 200
 * requests). Keeping the commands in flight below the pool size means each one can get all its
 * connections; the others wait here, in order. {@link #connect} (the pub/sub subscriber) is not
 * bounded: the bound leaves it room.
 *
 * <p>Thread-safe: the count and the queue are guarded by this object.
 */
final class BoundedRedis implements Redis {
  private final Redis client;
  private final int limit;
  private final Deque<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;

  /**
   * @param limit most commands (or batches) in flight at once
   */
  BoundedRedis(Redis client, int limit) {
    this.client = client;
    this.limit = limit;
  }

  @Override
  public Future<RedisConnection> connect() {
    return client.connect();
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }

  @Override
  public Future<Response> send(Request command) {
    return bounded(() -> client.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return bounded(() -> client.batch(commands));
  }

  private <T> Future<T> bounded(Supplier<Future<T>> call) {
    Promise<T> result = Promise.promise();
    Runnable run =
        () -> {
          Future<T> sent;
          try {
            sent = call.get();
          } catch (RuntimeException e) {
            sent = Future.failedFuture(e);
          }
          sent.onComplete(
              done -> {
                next();
                result.handle(done);
              });
        };
    boolean now;
    synchronized (this) {
      now = inFlight < limit;
      if (now) {
        inFlight++;
      } else {
        waiting.addLast(run);
      }
    }
    if (now) {
      run.run();
    }
    return result.future();
  }

  /** One command is done: starts the next waiting one, or frees its place. */
  private void next() {
    Runnable queued;
    synchronized (this) {
      queued = waiting.pollFirst();
      if (queued == null) {
        inFlight--;
      }
    }
    if (queued != null) {
      queued.run();
    }
  }
}
