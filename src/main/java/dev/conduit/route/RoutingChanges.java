package dev.conduit.route;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings admin changes made on any instance to this one: with Redis, a pub/sub message makes every
 * instance reload at once (a slow poll stays as a safety net); without Redis, each instance polls
 * the database's routing version.
 */
public final class RoutingChanges {
  static final String CHANNEL = "conduit:routing-changes";
  private static final Logger log = LoggerFactory.getLogger(RoutingChanges.class);
  private static final long SAFETY_POLL_MS = 30_000;
  private static final long RESUBSCRIBE_MS = 5_000;

  private final Vertx vertx;
  private final RoutingSync sync;
  private final Redis redis;
  private final long pollMs;
  private long pollTimer = -1;
  private volatile boolean closed;
  private volatile RedisConnection subscriber;
  private boolean failing;

  /**
   * @param redis a client of the shared Redis, or null without one
   * @param changePollMs poll interval without Redis
   */
  public RoutingChanges(Vertx vertx, RoutingSync sync, Redis redis, long changePollMs) {
    this.vertx = vertx;
    this.sync = sync;
    this.redis = redis;
    this.pollMs = redis == null ? changePollMs : Math.max(changePollMs, SAFETY_POLL_MS);
  }

  public void start() {
    pollTimer = vertx.setPeriodic(pollMs, id -> reloadInBackground());
    if (redis != null) {
      subscribe();
    }
  }

  /** Tells the other instances that something changed (they reload from the database). */
  public void announce() {
    if (redis != null) {
      redis
          .send(Request.cmd(Command.PUBLISH).arg(CHANNEL).arg("changed"))
          .onFailure(
              e ->
                  log.warn(
                      "Could not announce an admin change over Redis (other "
                          + "instances will see it at their next poll): {}",
                      e.getMessage()));
    }
  }

  private void subscribe() {
    redis
        .connect()
        .onComplete(
            connected -> {
              if (closed) {
                if (connected.succeeded()) {
                  connected.result().close();
                }
                return;
              }
              if (connected.failed()) {
                log.warn(
                    "Redis subscription for admin changes failed ({}); retrying",
                    connected.cause().getMessage());
                vertx.setTimer(RESUBSCRIBE_MS, id -> subscribe());
                return;
              }
              RedisConnection connection = connected.result();
              subscriber = connection;
              connection.handler(this::onMessage);
              connection.exceptionHandler(
                  e -> log.debug("Redis subscription error: {}", e.getMessage()));
              connection.endHandler(
                  v -> {
                    if (!closed) {
                      vertx.setTimer(RESUBSCRIBE_MS, id -> subscribe());
                    }
                  });
              connection
                  .send(Request.cmd(Command.SUBSCRIBE).arg(CHANNEL))
                  // A change may have happened while not subscribed.
                  .onSuccess(ok -> reloadInBackground());
            });
  }

  private void onMessage(Response message) {
    if (message.type() == ResponseType.PUSH || message.type() == ResponseType.MULTI) {
      if (message.size() >= 3
          && "message".equals(message.get(0).toString())
          && CHANNEL.equals(message.get(1).toString())) {
        reloadInBackground();
      }
    }
  }

  private void reloadInBackground() {
    if (closed) {
      return;
    }
    vertx.executeBlocking(
        () -> {
          try {
            sync.reloadIfChanged();
            if (failing) {
              log.info("Loading admin changes from the database works again");
              failing = false;
            }
          } catch (Exception e) {
            if (!failing) {
              log.warn(
                  "Loading admin changes from the database failed (the routing in force "
                      + "stays): {}",
                  e.getMessage());
              failing = true;
            }
          }
          return null;
        },
        true);
  }

  public void close() {
    closed = true;
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    RedisConnection connection = subscriber;
    if (connection != null) {
      connection.close();
    }
  }
}
