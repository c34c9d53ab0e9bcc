package dev.conduit.assembly;

import dev.conduit.config.ConduitConfig;
import dev.conduit.pipeline.RetryTimer;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway, assembled from feature modules in start order; each module owns what it starts
 * and closes it. {@link #start} returns once both listeners accept connections; {@link #close}
 * closes the modules in reverse order: the listeners drain first, the database goes last.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final ConduitConfig config;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final ObservabilityModule observability;
  private final ClientApiModule clientApi;
  private final AdminModule admin;

  private Gateway(ConduitConfig config, Clock clock, PrintStream console, RetryTimer retryTimer)
      throws Exception {
    this.config = config;
    Platform platform = started(Platform.open(config, clock));
    try {
      PricingModule pricing = started(new PricingModule(platform));
      KeysModule keys = started(new KeysModule(platform));
      RoutingModule routing = started(new RoutingModule(platform, pricing));
      this.observability = started(new ObservabilityModule(platform, keys, routing));
      AdmissionModule admission =
          started(new AdmissionModule(platform, keys, pricing, observability));
      CacheModule cache = started(new CacheModule(platform, routing));
      this.clientApi =
          started(
              new ClientApiModule(
                  platform, keys, pricing, routing, observability, admission, cache, retryTimer));
      this.admin =
          started(
              new AdminModule(
                  platform, console, keys, pricing, routing, observability, clientApi, cache));
    } catch (Exception | Error e) {
      closeStarted();
      throw e;
    }
    observability.serving();
    log.info(
        "Conduit is serving: client API on {}:{}, admin API on {}:{}, database {}{}",
        config.server().host(),
        clientApi.port,
        config.server().host(),
        admin.port,
        platform.database.dialect().migrationFolder(),
        config.redis() == null
            ? ""
            : ", redis "
                + config.redis().resolvedMode().configName()
                + " "
                + config.redis().redactedNodes());
  }

  private <T extends AutoCloseable> T started(T module) {
    started.push(module);
    return module;
  }

  /** Starts a gateway; blocks until it is listening. */
  public static Gateway start(ConduitConfig config) throws Exception {
    return start(config, Clock.systemUTC(), System.out);
  }

  public static Gateway start(ConduitConfig config, Clock clock, PrintStream console)
      throws Exception {
    return new Gateway(config, clock, console, RetryTimer.VERTX);
  }

  /** With {@code retryTimer} waiting out retry backoffs (tests record them instead). */
  public static Gateway start(
      ConduitConfig config, Clock clock, PrintStream console, RetryTimer retryTimer)
      throws Exception {
    return new Gateway(config, clock, console, retryTimer);
  }

  /** The client API's port (the actual one when configured as 0). */
  public int port() {
    return clientApi.port;
  }

  public int adminPort() {
    return admin.port;
  }

  public ConduitConfig config() {
    return config;
  }

  /**
   * The stop a SIGTERM asks for: readiness answers 503 at once, the listeners keep accepting for
   * {@code drain.delayMs} (while load balancers take this instance out of rotation), then {@link
   * #close}: no new connections, calls in flight run for up to {@code drain.timeoutMs}, queued
   * request-log rows and spend are written. Blocks until all of it is done; call it off the event
   * loops.
   */
  public void drain() {
    observability.draining();
    long delayMs = config.drain().delayMs();
    log.info(
        "Draining: not ready from now; accepting connections for {} ms more, then calls in flight"
            + " get up to {} ms",
        delayMs,
        config.drain().timeoutMs());
    try {
      Thread.sleep(delayMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
  }

  /**
   * Stops accepting connections at once, lets calls in flight finish within {@code drain.timeoutMs}
   * (ending those left), writes queued log rows, and releases everything.
   */
  @Override
  public void close() {
    observability.draining();
    closeStarted();
    log.info("Conduit stopped");
  }

  private void closeStarted() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        log.warn("Closing a module failed: {}", e.getMessage());
      }
    }
  }
}
