package dev.conduit.route;

import dev.conduit.config.TimeoutsConfig;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.provider.UpstreamErrors;
import dev.conduit.provider.UpstreamOptions;
import dev.conduit.provider.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks: asks each provider's adapter for its cheap check call (such as listing
 * models), sends it, and records the outcome in {@link ProviderHealth}. A key the provider rejects
 * (401/403) is taken out of rotation as with live traffic. Runs on an event loop.
 */
public final class HealthChecker {
  /** Checks are cheap calls: never wait on one as long as on a generation. */
  private static final TimeoutsConfig CHECK_LIMITS =
      new TimeoutsConfig(5_000L, 10_000L, 10_000L, 15_000L);

  private final ProviderRegistry providers;
  private final UpstreamClient upstream;
  private final ProviderHealth health;

  /** Checks under way, by provider: a slow provider never has two at once. */
  private final java.util.Map<String, Future<Result>> running =
      new java.util.concurrent.ConcurrentHashMap<>();

  public HealthChecker(ProviderRegistry providers, UpstreamClient upstream, ProviderHealth health) {
    this.providers = providers;
    this.upstream = upstream;
    this.health = health;
  }

  /**
   * The outcome of one check.
   *
   * @param provider provider name
   * @param checked false when the provider has no check call (or cannot be called)
   * @param ok whether it answered 2xx
   * @param latencyMs how long it took
   * @param error why not, or null
   */
  public record Result(
      String provider, boolean checked, boolean ok, long latencyMs, String error) {}

  /** Checks every provider now; completes when all have answered or timed out. */
  public Future<List<Result>> checkAll() {
    List<Future<Result>> checks = new ArrayList<>();
    for (Provider provider : providers.all()) {
      checks.add(check(provider));
    }
    return Future.join(checks)
        .transform(
            done -> {
              List<Result> results = new ArrayList<>();
              for (Future<Result> check : checks) {
                results.add(check.result());
              }
              return Future.succeededFuture(results);
            });
  }

  public Future<Result> check(Provider provider) {
    Future<Result> underWay = running.get(provider.name());
    if (underWay != null) {
      return underWay;
    }
    Future<Result> started = start(provider);
    if (!started.isComplete()) {
      running.put(provider.name(), started);
      started.onComplete(done -> running.remove(provider.name(), started));
    }
    return started;
  }

  private Future<Result> start(Provider provider) {
    if (!provider.isAvailable()) {
      return Future.succeededFuture(
          new Result(provider.name(), false, false, 0, provider.unavailableReason().orElse(null)));
    }
    Optional<UpstreamRequest> request = provider.adapter().healthCheckRequest();
    if (request.isEmpty()) {
      return Future.succeededFuture(new Result(provider.name(), false, true, 0, null));
    }
    long start = System.nanoTime();
    TimeoutsConfig limits =
        new TimeoutsConfig(
            Math.min(provider.timeouts().connectMs(), CHECK_LIMITS.connectMs()),
            Math.min(provider.timeouts().firstByteMs(), CHECK_LIMITS.firstByteMs()),
            Math.min(provider.timeouts().idleMs(), CHECK_LIMITS.idleMs()),
            Math.min(provider.timeouts().totalMs(), CHECK_LIMITS.totalMs()));
    Promise<Result> result = Promise.promise();
    upstream
        .send(request.get(), new UpstreamOptions(provider.name(), limits))
        .response()
        .onComplete(
            answered -> {
              long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
              if (answered.failed()) {
                result.complete(record(provider, false, ms, answered.cause().getMessage()));
                return;
              }
              int status = answered.result().status();
              answered
                  .result()
                  .body()
                  .onComplete(
                      body -> {
                        if (status >= 200 && status < 300) {
                          result.complete(record(provider, true, ms, null));
                          return;
                        }
                        if (UpstreamErrors.refusesKey(status)) {
                          provider
                              .keys()
                              .refused(request.get().apiKey(), provider.name(), "a health check");
                        }
                        result.complete(record(provider, false, ms, "HTTP " + status));
                      });
            });
    return result.future();
  }

  private Result record(Provider provider, boolean ok, long latencyMs, String error) {
    health.recordCheck(provider.name(), ok, latencyMs, error);
    return new Result(provider.name(), true, ok, latencyMs, error);
  }
}
