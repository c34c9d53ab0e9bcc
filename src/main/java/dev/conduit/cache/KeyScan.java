package dev.conduit.cache;

import dev.conduit.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Walks every key matching a pattern with {@code SCAN}, which reads one server's keys only: on a
 * standalone server (or the master Sentinel names) through the gateway's client; on a Redis Cluster
 * on every master, each through a short-lived client of its own (the masters are read from {@code
 * CLUSTER NODES}, with the credentials of the configured URL). For the admin API, never the request
 * path. A failover during a walk may skip or repeat keys, as SCAN itself may.
 *
 * <p>Thread-safe; non-blocking.
 */
final class KeyScan {
  private static final int SCAN_COUNT = 500;

  private final Redis redis;
  private final Vertx vertx;
  private final String clusterUrlTemplate;

  /**
   * @param redisConfig the {@code redis:} section; its mode decides how to walk
   */
  KeyScan(Redis redis, Vertx vertx, RedisConfig redisConfig) {
    this.redis = redis;
    this.vertx = vertx;
    this.clusterUrlTemplate =
        redisConfig != null && redisConfig.cluster() ? redisConfig.nodes().get(0) : null;
  }

  /** Calls {@code each} with every key matching {@code pattern}; completes when all theirs did. */
  Future<Void> scan(String pattern, Function<String, Future<?>> each) {
    if (clusterUrlTemplate == null) {
      return scan(redis, "0", pattern, each);
    }
    return redis
        .send(Request.cmd(Command.CLUSTER).arg("NODES"))
        .compose(
            nodes -> {
              List<Future<Void>> walks = new ArrayList<>();
              for (String address : masters(nodes.toString())) {
                Redis node = Redis.createClient(vertx, nodeUrl(clusterUrlTemplate, address));
                walks.add(scan(node, "0", pattern, each).eventually(node::close));
              }
              return Future.all(walks).mapEmpty();
            });
  }

  private static Future<Void> scan(
      Redis node, String cursor, String pattern, Function<String, Future<?>> each) {
    return node.send(
            Request.cmd(Command.SCAN)
                .arg(cursor)
                .arg("MATCH")
                .arg(pattern)
                .arg("COUNT")
                .arg(SCAN_COUNT))
        .compose(
            page -> {
              String next = page.get(0).toString();
              List<Future<?>> work = new ArrayList<>();
              for (Response key : page.get(1)) {
                work.add(each.apply(key.toString()));
              }
              return Future.all(work)
                  .compose(
                      v ->
                          next.equals("0")
                              ? Future.succeededFuture()
                              : scan(node, next, pattern, each));
            });
  }

  /**
   * The {@code host:port} of every master that serves slots and is not failing, from a {@code
   * CLUSTER NODES} reply ({@code <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong>
   * <epoch> <link> <slot>...}).
   */
  static List<String> masters(String clusterNodes) {
    List<String> masters = new ArrayList<>();
    for (String line : clusterNodes.split("\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length < 9) {
        continue; // a replica, or a master without slots
      }
      List<String> flags = List.of(fields[2].split(","));
      if (!flags.contains("master") || flags.contains("fail") || flags.contains("handshake")) {
        continue;
      }
      String address = fields[1];
      int at = address.indexOf('@');
      address = at >= 0 ? address.substring(0, at) : address;
      if (!address.startsWith(":")) {
        masters.add(address);
      }
    }
    return masters;
  }

  /** The configured node URL (scheme, credentials, options) pointed at another node. */
  static String nodeUrl(String template, String hostPort) {
    URI uri = URI.create(template);
    String userInfo = uri.getRawUserInfo();
    String query = uri.getRawQuery();
    return uri.getScheme()
        + "://"
        + (userInfo == null ? "" : userInfo + "@")
        + hostPort
        + (query == null ? "" : "?" + query);
  }
}
