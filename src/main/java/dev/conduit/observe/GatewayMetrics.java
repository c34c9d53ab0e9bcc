package dev.conduit.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The gateway's Prometheus metrics. Meters are created once per label set and cached, so the
 * request path only does a map lookup and an increment.
 */
public final class GatewayMetrics implements AutoCloseable {
  /** Latency buckets from 5 ms to 10 minutes: LLM calls span that whole range. */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(120),
    Duration.ofSeconds(300),
    Duration.ofSeconds(600)
  };

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final Map<RequestLabels, RequestMeters> requestMeters = new ConcurrentHashMap<>();
  private final Map<String, Timer> providerTimes = new ConcurrentHashMap<>();
  private final Map<String, Counter> rateLimitRejections = new ConcurrentHashMap<>();
  private final Counter budgetRejections;
  private final Map<String, Counter> retries = new ConcurrentHashMap<>();
  private final Map<Tags, Counter> fallbacks = new ConcurrentHashMap<>();
  private final Map<String, Meter> providerHealth = new ConcurrentHashMap<>();
  private final Map<CacheLabels, Counter> cacheHits = new ConcurrentHashMap<>();
  private final Map<CacheLabels, Counter> cacheMisses = new ConcurrentHashMap<>();
  private final AtomicInteger activeRealtimeSessions = new AtomicInteger();
  private final Map<Tags, Counter> realtimeSessions = new ConcurrentHashMap<>();

  public GatewayMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("conduit.llm.active.requests", activeRequests, AtomicInteger::get)
        .description("Model requests in flight")
        .register(registry);
    Gauge.builder("conduit.realtime.sessions.active", activeRealtimeSessions, AtomicInteger::get)
        .description("Realtime WebSocket sessions open now")
        .register(registry);
    budgetRejections =
        Counter.builder("conduit.budget.rejections")
            .description(
                "Requests refused because a key's budget or its group's balance could not "
                    + "cover them")
            .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  public void requestStarted() {
    activeRequests.incrementAndGet();
  }

  public void requestFinished() {
    activeRequests.decrementAndGet();
  }

  /**
   * Records one finished model request.
   *
   * @param provider provider that answered, or {@code none}
   * @param model the alias, or {@code none} for requests rejected before one was known
   * @param success whether the caller got a 2xx
   */
  public void recordRequest(
      String provider,
      String model,
      boolean success,
      long durationNanos,
      long inputTokens,
      long outputTokens) {
    RequestMeters meters =
        requestMeters.computeIfAbsent(new RequestLabels(provider, model), RequestMeters::new);
    meters.outcome(success).increment();
    meters.duration.record(durationNanos, TimeUnit.NANOSECONDS);
    if (inputTokens > 0) {
      meters.tokens(true).increment(inputTokens);
    }
    if (outputTokens > 0) {
      meters.tokens(false).increment(outputTokens);
    }
  }

  /** Adds one request's cost, in nano-dollars, to the provider and model that served it. */
  public void recordCost(String provider, String model, long costNanos) {
    if (costNanos <= 0) {
      return;
    }
    requestMeters
        .computeIfAbsent(new RequestLabels(provider, model), RequestMeters::new)
        .cost()
        .increment(costNanos / 1e9);
  }

  /** Counts a request refused by a rate limit: {@code rpm}, {@code rpd} or {@code tpm}. */
  public void rateLimitRejected(String limit) {
    rateLimitRejections
        .computeIfAbsent(
            limit,
            name ->
                Counter.builder("conduit.rate.limit.rejections")
                    .description("Requests refused by a virtual key's rate limit")
                    .tag("limit", name)
                    .register(registry))
        .increment();
  }

  public void budgetRejected() {
    budgetRejections.increment();
  }

  /**
   * A Realtime WebSocket session was opened to {@code provider} for alias {@code model}: counted in
   * {@code conduit_realtime_sessions_total{provider,model}} and in the gauge {@code
   * conduit_realtime_sessions_active} until {@link #realtimeSessionClosed}.
   */
  public void realtimeSessionOpened(String provider, String model) {
    activeRealtimeSessions.incrementAndGet();
    realtimeSessions
        .computeIfAbsent(
            Tags.of("provider", provider, "model", model),
            tags ->
                Counter.builder("conduit.realtime.sessions")
                    .description("Realtime WebSocket sessions opened")
                    .tags(tags)
                    .register(registry))
        .increment();
  }

  public void realtimeSessionClosed() {
    activeRealtimeSessions.decrementAndGet();
  }

  /** Records one upstream call's duration, per provider. */
  /**
   * Records one upstream call's duration in the histogram {@code
   * conduit_provider_response_time_seconds{provider}}. (Prometheus answers a bare-name query on a
   * histogram with nothing: query its {@code _bucket}, {@code _sum} or {@code _count} series, e.g.
   * {@code histogram_quantile(0.95, rate(..._bucket[5m]))}.)
   */
  public void recordProviderResponse(String provider, long nanos) {
    providerTimes
        .computeIfAbsent(
            provider,
            name ->
                latencyTimer(
                    "conduit.provider.response.time",
                    "Duration of calls to a provider",
                    Tags.of("provider", name)))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Registers a provider's health gauge, read from {@code state} on scrape: 1 while it can take
   * traffic (healthy or degraded), 0 when unhealthy or disabled. Replaces an earlier gauge of the
   * same provider.
   */
  public <T> void registerProviderHealth(String provider, T state, Function<T, Boolean> isUp) {
    removeProviderHealth(provider);
    providerHealth.put(
        provider,
        Gauge.builder("conduit.provider.health", state, s -> isUp.apply(s) ? 1 : 0)
            .description(
                "Whether a provider can take traffic: 1 healthy or degraded, 0 unhealthy "
                    + "or disabled")
            .tags("provider", provider)
            .strongReference(true)
            .register(registry));
  }

  /** Drops a deleted provider's health gauge. */
  public void removeProviderHealth(String provider) {
    Meter gauge = providerHealth.remove(provider);
    if (gauge != null) {
      registry.remove(gauge);
    }
  }

  /** Registers a deployment's circuit state gauge: 0 closed, 1 open, 2 half-open. */
  public <T> void registerCircuitState(
      String provider, String deployment, T state, java.util.function.ToDoubleFunction<T> code) {
    Gauge.builder("conduit.provider.circuit.state", state, code)
        .description("A deployment's circuit breaker: 0 closed, 1 open, 2 half-open")
        .tags("provider", provider, "deployment", deployment)
        .strongReference(true)
        .register(registry);
  }

  /** Counts an attempt after a request's first one (failover, retry or fallback). */
  public void retried(String model) {
    retries
        .computeIfAbsent(
            model,
            name ->
                Counter.builder("conduit.llm.retries")
                    .description("Attempts after a request's first one, by requested alias")
                    .tags("model", name)
                    .register(registry))
        .increment();
  }

  /** Counts a request moving on to one of its alias's fallback aliases. */
  public void fellBack(String model, String fallback) {
    fallbacks
        .computeIfAbsent(
            Tags.of("model", model, "fallback", fallback),
            tags ->
                Counter.builder("conduit.llm.fallbacks")
                    .description("Requests that moved on to a fallback alias")
                    .tags(tags)
                    .register(registry))
        .increment();
  }

  /** Counts a request answered from the response cache's {@code tier}. */
  public void cacheHit(String model, String tier) {
    cacheCounter(
            cacheHits,
            "conduit.cache.hits",
            "Responses served from the response cache",
            model,
            tier)
        .increment();
  }

  /**
   * Counts a cacheable request the cache could not answer; {@code tier} is the last tier asked (one
   * count per request, so hits over hits plus misses is the hit rate).
   */
  public void cacheMiss(String model, String tier) {
    cacheCounter(
            cacheMisses,
            "conduit.cache.misses",
            "Cacheable requests not found in the response cache",
            model,
            tier)
        .increment();
  }

  /** Creates the hit and miss series of {@code model} and {@code tier} at 0, before any request. */
  public void cacheSeries(String model, String tier) {
    cacheCounter(
        cacheHits, "conduit.cache.hits", "Responses served from the response cache", model, tier);
    cacheCounter(
        cacheMisses,
        "conduit.cache.misses",
        "Cacheable requests not found in the response cache",
        model,
        tier);
  }

  /** Found by a record of the two labels: building {@code Tags} for each lookup costs more. */
  private Counter cacheCounter(
      Map<CacheLabels, Counter> counters,
      String name,
      String description,
      String model,
      String tier) {
    return counters.computeIfAbsent(
        new CacheLabels(model, tier),
        labels ->
            Counter.builder(name)
                .description(description)
                .tags("model", model, "tier", tier)
                .register(registry));
  }

  private record CacheLabels(String model, String tier) {}

  private record RequestLabels(String provider, String model) {}

  /**
   * The request meters of one provider and model, found with a single map lookup per request:
   * building {@code Tags} and looking meters up by them cost several microseconds a request
   * (RequestBookkeepingBenchmark). Counters register on first use, so a series appears only once it
   * has something to count; a race registers the same meter twice, which Micrometer returns.
   */
  private final class RequestMeters {
    private final Tags labels;
    private final Timer duration;
    private volatile Counter succeeded;
    private volatile Counter failed;
    private volatile Counter inputTokens;
    private volatile Counter outputTokens;
    private volatile Counter cost;

    RequestMeters(RequestLabels key) {
      labels = Tags.of("provider", key.provider(), "model", key.model());
      duration =
          latencyTimer(
              "conduit.llm.request.duration",
              "Time from request arrival to the last byte of the response",
              labels);
    }

    Counter outcome(boolean success) {
      Counter counter = success ? succeeded : failed;
      if (counter == null) {
        counter =
            Counter.builder("conduit.llm.requests")
                .description("Model requests by outcome")
                .tags(labels.and("status", success ? "success" : "error"))
                .register(registry);
        if (success) {
          succeeded = counter;
        } else {
          failed = counter;
        }
      }
      return counter;
    }

    Counter tokens(boolean input) {
      Counter counter = input ? inputTokens : outputTokens;
      if (counter == null) {
        counter =
            Counter.builder("conduit.llm.tokens")
                .description("Tokens processed, by type (input or output)")
                .tags(labels.and("type", input ? "input" : "output"))
                .register(registry);
        if (input) {
          inputTokens = counter;
        } else {
          outputTokens = counter;
        }
      }
      return counter;
    }

    Counter cost() {
      Counter counter = cost;
      if (counter == null) {
        counter =
            Counter.builder("conduit.llm.cost.usd")
                .description(
                    "Cost of model requests in USD, from reported usage and the price table")
                .tags(labels)
                .register(registry);
        cost = counter;
      }
      return counter;
    }
  }

  private Timer latencyTimer(String name, String description, Tags tags) {
    return Timer.builder(name)
        .description(description)
        .tags(tags)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
  }

  @Override
  public void close() {
    gcMetrics.close();
    registry.close();
  }
}
