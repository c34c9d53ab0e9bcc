package dev.conduit.cache;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared tier: one Redis string per answer, {@code cache:<hash>}, with its TTL set in Redis.
 * Only plain GET, SET PX, DEL and SCAN, through the gateway's one Redis client (standalone, cluster
 * or Sentinel alike; each command has one key, so a cluster routes it to its slot's master). The
 * request path's GETs and SETs go through a {@link RedisBatcher}. The admin walks ({@link #find},
 * {@link #delete}, {@link #count}) SCAN every master ({@link KeyScan}). A lookup waits at most the
 * lookup budget: Redis down or slow is a miss, never an error or a stall; an entry that cannot be
 * read is deleted and counted. Non-blocking; callbacks run where Vert.x's Redis client completes
 * them.
 */
final class RedisTier {
  static final String PREFIX = "cache:";
  private static final Logger log = LoggerFactory.getLogger(RedisTier.class);

  private final Redis redis;
  private final RedisBatcher batcher;
  private final KeyScan keys;
  private final CacheMeters meters;
  private final AtomicBoolean failing = new AtomicBoolean();

  /**
   * @param cluster whether {@code redis} is a Redis Cluster client (its commands are then not
   *     batched: see {@link RedisBatcher})
   */
  RedisTier(
      Redis redis, boolean cluster, KeyScan keys, Vertx vertx, long budgetMs, CacheMeters meters) {
    this.redis = redis;
    this.batcher = new RedisBatcher(redis, !cluster, vertx, budgetMs);
    this.keys = keys;
    this.meters = meters;
  }

  /**
   * The entry under {@code key}, or null: not there, unreadable, or Redis did not answer in time.
   */
  Future<CacheEntry> get(String key) {
    return batcher
        .read(Request.cmd(Command.GET).arg(PREFIX + key))
        .transform(
            answer -> {
              if (answer.failed()) {
                if (answer.cause() != RedisBatcher.OVER_BUDGET) {
                  failed("a lookup", answer.cause());
                }
                return Future.succeededFuture();
              }
              recovered();
              return Future.succeededFuture(read(key, answer.result()));
            });
  }

  /** Stores {@code entry} until it expires; a failure only logs (the answer was served anyway). */
  void put(CacheEntry entry, long ttlMillis) {
    batcher
        .write(
            Request.cmd(Command.SET)
                .arg(PREFIX + entry.key())
                .arg(Buffer.buffer(entry.serialize()))
                .arg("PX")
                .arg(Math.max(1, ttlMillis)))
        .onComplete(
            done -> {
              if (done.failed()) {
                failed("storing an answer", done.cause());
              } else {
                recovered();
              }
            });
  }

  /** Every readable entry {@code which} picks (SCAN over {@code cache:*}, then GET each). */
  Future<List<CacheEntry>> find(Predicate<CacheEntry> which) {
    List<CacheEntry> found = new ArrayList<>();
    return keys.scan(
            PREFIX + "*",
            key ->
                fetch(key)
                    .map(
                        entry -> {
                          if (entry != null && which.test(entry)) {
                            found.add(entry);
                          }
                          return null;
                        }))
        .map(v -> found);
  }

  /** Deletes the entries {@code which} picks (every one when null); answers how many. */
  Future<Long> delete(Predicate<CacheEntry> which) {
    long[] deleted = {0};
    return keys.scan(
            PREFIX + "*",
            key -> {
              Future<Boolean> doomed =
                  which == null
                      ? Future.succeededFuture(true)
                      : fetch(key).map(entry -> entry != null && which.test(entry));
              return doomed.compose(
                  yes ->
                      yes
                          ? redis
                              .send(Request.cmd(Command.DEL).arg(key))
                              .map(
                                  r -> {
                                    deleted[0] += r == null ? 0 : r.toLong();
                                    return null;
                                  })
                          : Future.succeededFuture());
            })
        .map(v -> deleted[0]);
  }

  /**
   * How many {@code cache:*} keys Redis holds (a SCAN: for the admin API, not the request path).
   */
  Future<Long> count() {
    long[] count = {0};
    return keys.scan(
            PREFIX + "*",
            key -> {
              count[0]++;
              return Future.succeededFuture();
            })
        .map(v -> count[0]);
  }

  private Future<CacheEntry> fetch(String redisKey) {
    return redis
        .send(Request.cmd(Command.GET).arg(redisKey))
        .map(answer -> read(redisKey.substring(PREFIX.length()), answer));
  }

  /** The entry in a GET answer, or null; drops and counts one that is not readable. */
  private CacheEntry read(String key, Response answer) {
    if (answer == null) {
      return null;
    }
    try {
      CacheEntry entry = CacheEntry.deserialize(answer.toBytes());
      if (!entry.key().equals(key)) {
        throw new CacheEntry.CorruptEntry("stored under another key");
      }
      return entry;
    } catch (CacheEntry.CorruptEntry e) {
      meters.corrupt("redis");
      log.warn("Dropped an unreadable cache entry {}{}: {}", PREFIX, key, e.getMessage());
      redis.send(Request.cmd(Command.DEL).arg(PREFIX + key));
      return null;
    }
  }

  private void failed(String what, Throwable cause) {
    if (failing.compareAndSet(false, true)) {
      log.warn(
          "The cache's Redis tier failed {} ({}); Redis lookups count as misses until it answers",
          what,
          cause.getMessage());
    }
  }

  private void recovered() {
    if (failing.compareAndSet(true, false)) {
      log.info("The cache's Redis tier answers again");
    }
  }
}
