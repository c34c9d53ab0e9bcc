package dev.conduit.api.openai.responses;

import dev.conduit.store.StoredResponse;
import dev.conduit.store.StoredResponseRepository;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored responses, per virtual key and with a time to live, over {@link StoredResponseRepository}:
 * every database call runs on a worker thread, and its future completes on the caller's context. A
 * save is not awaited by the answer it stores, so a lookup of an id whose save is still running
 * here waits for that save first: a caller that continues at once finds its previous response. One
 * instance, shared by every event loop.
 */
public final class ResponsesStore {
  /** As long as OpenAI keeps stored responses. */
  public static final Duration DEFAULT_TTL = Duration.ofDays(30);

  private static final Logger log = LoggerFactory.getLogger(ResponsesStore.class);
  private static final long PURGE_EVERY_MS = Duration.ofMinutes(10).toMillis();

  private final Vertx vertx;
  private final StoredResponseRepository repository;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Future<Void>> saving = new ConcurrentHashMap<>();
  private final AtomicLong lastPurge = new AtomicLong();

  public ResponsesStore(
      Vertx vertx, StoredResponseRepository repository, Clock clock, Duration ttl) {
    this.vertx = vertx;
    this.repository = repository;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** Epoch seconds now, for {@code created_at}. */
  long nowSeconds() {
    return clock.instant().getEpochSecond();
  }

  /** The live response {@code id} of key {@code keyId}; null when there is none. */
  public Future<StoredResponse> find(String id, String keyId) {
    return afterSave(id, () -> repository.find(id, keyId, clock.millis()).orElse(null));
  }

  /** Deletes the live response {@code id} of key {@code keyId}; whether there was one. */
  public Future<Boolean> delete(String id, String keyId) {
    return afterSave(id, () -> repository.delete(id, keyId, clock.millis()));
  }

  /**
   * Runs {@code work} on a worker once any save of {@code id} still running is over; the future
   * completes on the caller's context (a save may have been started on another event loop).
   */
  private <T> Future<T> afterSave(String id, Callable<T> work) {
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    Runnable run =
        () ->
            vertx
                .executeBlocking(work, false)
                .onComplete(
                    done -> {
                      if (caller == null || Vertx.currentContext() == caller) {
                        result.handle(done);
                      } else {
                        caller.runOnContext(v -> result.handle(done));
                      }
                    });
    Future<Void> pending = saving.get(id);
    if (pending == null) {
      run.run();
    } else {
      pending.onComplete(v -> run.run());
    }
    return result.future();
  }

  /** Stores a response, expiring after the time to live; failures are logged, not raised. */
  void save(
      String id, String keyId, String provider, boolean passthrough, String items, String body) {
    long now = clock.millis();
    StoredResponse row =
        new StoredResponse(
            id, keyId, provider, passthrough, items, body, now, now + ttl.toMillis());
    boolean purge = now - lastPurge.get() >= PURGE_EVERY_MS && lastPurge.getAndSet(now) != now;
    Future<Void> saved =
        vertx.executeBlocking(
            () -> {
              repository.insert(row);
              if (purge) {
                repository.deleteExpired(now);
              }
              return null;
            },
            false);
    saving.put(id, saved);
    saved.onComplete(
        done -> {
          saving.remove(id, saved);
          if (done.failed()) {
            log.warn("Storing response {} failed: {}", id, done.cause().getMessage());
          }
        });
  }
}
