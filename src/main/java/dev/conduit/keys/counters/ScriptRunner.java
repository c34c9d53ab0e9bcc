package dev.conduit.keys.counters;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends the counters' commands to Redis, each bounded by the operation timeout. Lua scripts go by
 * their SHA-1 ({@code EVALSHA}), and once more by their text when the node has not seen them yet
 * ({@code NOSCRIPT}: a new or restarted node, or a replica just promoted to master).
 *
 * <p>With {@code replicaAcks > 0} a script is sent with {@code WAIT replicaAcks ms} on the same
 * connection (a batch, so both go to the master of the script's slot): the reply counts only once
 * that many replicas have the write, so a write a failover could lose (acknowledged by a master
 * that did not pass it on) is reported as a failure ({@link NotReplicated}) and the caller treats
 * it as Redis not answering. A batch that meets a slot that moved ({@code MOVED}, {@code ASK}) did
 * not run; it is sent again after a single-key command has refreshed the client's slot map.
 *
 * <p>Thread-safe; never blocks.
 */
final class ScriptRunner {
  private static final int REDIRECTS = 3;

  private final Redis redis;
  private final long timeoutMs;
  private final int replicaAcks;
  private final long waitMs;

  /**
   * @param replicaAcks replicas that must confirm each script's write; 0 for none
   */
  ScriptRunner(Redis redis, long timeoutMs, int replicaAcks) {
    this.redis = redis;
    this.timeoutMs = timeoutMs;
    this.replicaAcks = replicaAcks;
    // WAIT 0 would wait forever; half the budget leaves the rest for the script itself.
    this.waitMs = Math.max(1, timeoutMs / 2);
  }

  /** One command, bounded by the timeout. */
  Future<Response> send(Request request) {
    return redis.send(request).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code script} with {@code args}: the key count, the keys, then the arguments. */
  Future<Response> run(Script script, List<Object> args) {
    if (replicaAcks == 0) {
      return send(script.request(Command.EVALSHA, args))
          .recover(
              failure ->
                  noScript(failure)
                      ? send(script.request(Command.EVAL, args))
                      : Future.failedFuture(failure));
    }
    String firstKey = ((Number) args.get(0)).intValue() > 0 ? String.valueOf(args.get(1)) : null;
    return withWait(script, args, firstKey, Command.EVALSHA, REDIRECTS)
        .compose(
            replies -> {
              long acks = replies.get(1).toLong();
              return acks >= replicaAcks
                  ? Future.succeededFuture(replies.get(0))
                  : Future.failedFuture(new NotReplicated(acks, replicaAcks, waitMs));
            });
  }

  /** The script and a {@code WAIT} in one batch: both run on the master of the script's slot. */
  private Future<List<Response>> withWait(
      Script script, List<Object> args, String firstKey, Command command, int redirects) {
    return redis
        .batch(
            List.of(
                script.request(command, args),
                Request.cmd(Command.WAIT).arg(replicaAcks).arg(waitMs)))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(
            failure -> {
              if (command == Command.EVALSHA && noScript(failure)) {
                return withWait(script, args, firstKey, Command.EVAL, redirects);
              }
              if (redirects > 0 && firstKey != null && moved(failure)) {
                // The batch did not run (the client does not follow redirects inside a batch):
                // a plain command follows it and refreshes the slot map, then the batch again.
                return send(Request.cmd(Command.EXISTS).arg(firstKey))
                    .transform(
                        refreshed -> withWait(script, args, firstKey, command, redirects - 1));
              }
              return Future.failedFuture(failure);
            });
  }

  private static boolean noScript(Throwable failure) {
    return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
  }

  private static boolean moved(Throwable failure) {
    String message = failure.getMessage();
    return message != null
        && (message.contains("MOVED ")
            || message.contains("ASK ")
            || message.contains("TRYAGAIN")
            || message.contains("CLUSTERDOWN"));
  }

  /** A script write that fewer replicas than required confirmed in time. */
  static final class NotReplicated extends RuntimeException {
    NotReplicated(long acks, int wanted, long waitMs) {
      super(
          "the counter write was confirmed by "
              + acks
              + " of "
              + wanted
              + " replica(s) within "
              + waitMs
              + " ms");
    }
  }

  /** A Lua script shipped in the jar, called by its SHA-1. */
  record Script(String source, String sha) {
    static Script load(String resource) {
      try (InputStream in = ScriptRunner.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is missing from the classpath");
        }
        return of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static Script of(String source) {
      try {
        return new Script(
            source,
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-1")
                        .digest(source.getBytes(StandardCharsets.UTF_8))));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-1 is always available", e);
      }
    }

    /** The script called by its hash ({@code EVALSHA}) or by its text ({@code EVAL}). */
    Request request(Command command, List<Object> args) {
      Request request = Request.cmd(command).arg(command == Command.EVAL ? source : sha);
      for (Object arg : args) {
        if (arg instanceof Number number) {
          request.arg(number.longValue());
        } else {
          request.arg(String.valueOf(arg));
        }
      }
      return request;
    }
  }
}
