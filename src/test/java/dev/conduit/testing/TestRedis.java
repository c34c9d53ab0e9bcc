package dev.conduit.testing;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The machine's Redis (127.0.0.1:6379; override with {@code CONDUIT_TEST_REDIS_URL}), used by one
 * test class under a key prefix of its own, so runs never meet. {@link #close} deletes every key
 * under the prefix.
 */
public final class TestRedis implements AutoCloseable {
  public static final String URL =
      System.getenv().getOrDefault("CONDUIT_TEST_REDIS_URL", "redis://127.0.0.1:6379");

  private final String url;
  private final String prefix =
      "conduit-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
  private final Vertx vertx = Vertx.vertx();
  private final Redis redis;

  public TestRedis() {
    this(URL);
  }

  public TestRedis(String url) {
    this.url = url;
    this.redis = Redis.createClient(vertx, url);
  }

  public String url() {
    return url;
  }

  public String prefix() {
    return prefix;
  }

  /** The {@code redis:} section of a gateway configuration using this Redis and prefix. */
  public String yaml() {
    return "redis:\n  url: \"" + url + "\"\n  keyPrefix: \"" + prefix + "\"\n";
  }

  /**
   * The same with a longer operation timeout, for tests about shared counting that must not fall
   * back to local counters when a loaded test machine answers slowly.
   */
  public String yaml(long timeoutMs) {
    return yaml() + "  timeoutMs: " + timeoutMs + "\n";
  }

  /** Keys the gateway has written under this prefix. */
  public List<String> keys() throws Exception {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      Response reply =
          send(
              Request.cmd(Command.SCAN)
                  .arg(cursor)
                  .arg("MATCH")
                  .arg(prefix + "*")
                  .arg("COUNT")
                  .arg(1000));
      cursor = reply.get(0).toString();
      for (Response key : reply.get(1)) {
        keys.add(key.toString());
      }
    } while (!cursor.equals("0"));
    return keys;
  }

  public Response send(Request request) throws Exception {
    return redis.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    try {
      for (String key : keys()) {
        send(Request.cmd(Command.DEL).arg(key));
      }
    } finally {
      redis.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
