package dev.conduit.route;

import dev.conduit.provider.Provider;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each provider's health as this instance sees it: passive (the outcome and latency of recent calls
 * from live traffic) and active (the latest health check). Thread-safe.
 */
public final class ProviderHealth {
  /** Calls remembered per provider for error rate and latency percentiles. */
  static final int WINDOW = 200;

  /** Only calls this recent count: an outage long over does not keep a provider unhealthy. */
  static final long WINDOW_MS = 5 * 60_000;

  /** Calls needed in the window before the error rate counts toward a status. */
  private static final int MIN_CALLS = 5;

  /** From this share of failed recent calls on, a provider that still serves is degraded. */
  private static final double DEGRADED_ERROR_RATE = 0.1;

  /**
   * A provider's status, as the admin API and {@code conduit_provider_health} report it. {@code
   * unhealthy} means the provider cannot serve; one that serves badly is {@code degraded}.
   */
  public enum Status {
    HEALTHY,
    DEGRADED,
    UNHEALTHY,
    DISABLED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** 1 while it can take traffic (healthy or degraded), else 0. */
    public int gaugeValue() {
      return this == HEALTHY || this == DEGRADED ? 1 : 0;
    }
  }

  /**
   * A provider's status and why.
   *
   * @param status the status
   * @param reason why it is not healthy, in words for an operator; null when healthy
   */
  public record Verdict(Status status, String reason) {
    static final Verdict HEALTHY = new Verdict(Status.HEALTHY, null);

    /** 1 while it can take traffic, else 0 ({@link Status#gaugeValue}). */
    public int gaugeValue() {
      return status.gaugeValue();
    }
  }

  private final Map<String, Stats> stats = new ConcurrentHashMap<>();
  private final Clock clock;

  public ProviderHealth(Clock clock) {
    this.clock = clock;
  }

  /** Records one call from live traffic. */
  public void recordCall(String provider, boolean failed, long latencyMs, String error) {
    stats(provider).recordCall(failed, latencyMs, error, clock.instant());
  }

  /** Records an active health check. */
  public void recordCheck(String provider, boolean ok, long latencyMs, String error) {
    stats(provider).recordCheck(ok, latencyMs, error, clock.instant());
  }

  public Snapshot snapshot(String provider) {
    return stats(provider).snapshot(clock.millis() - WINDOW_MS);
  }

  /** Forgets what live traffic and checks said (after a reset by an operator). */
  public void reset(String provider) {
    stats.remove(provider);
  }

  /**
   * The provider's status from everything known about it: {@code unhealthy} when it cannot serve
   * (not configured, every key rejected, every circuit open, or its latest health check failed with
   * no success since), {@code degraded} when it serves with trouble (a circuit open or half-open, a
   * key rejected, or at least 10% of its recent calls failed), else {@code healthy}.
   */
  public Verdict status(Provider provider, List<DeploymentState> deployments) {
    if (!provider.enabled()) {
      return new Verdict(Status.DISABLED, "disabled by an operator");
    }
    Optional<String> notServing = provider.whyNotServing();
    if (notServing.isPresent()) {
      return new Verdict(Status.UNHEALTHY, notServing.get());
    }
    Snapshot snapshot = snapshot(provider.name());
    if (Boolean.FALSE.equals(snapshot.lastCheckOk()) && snapshot.failedCheckIsLatest()) {
      return new Verdict(
          Status.UNHEALTHY,
          "its latest health check failed and no call or check has succeeded since (last error: "
              + snapshot.lastError()
              + ")");
    }
    List<String> open = new ArrayList<>();
    List<String> halfOpen = new ArrayList<>();
    for (DeploymentState deployment : deployments) {
      switch (deployment.circuitStateCode()) {
        case 1 -> open.add(deployment.id());
        case 2 -> halfOpen.add(deployment.id());
        default -> {}
      }
    }
    if (!deployments.isEmpty() && open.size() == deployments.size()) {
      return new Verdict(
          Status.UNHEALTHY, "the circuit of every deployment is open: " + String.join(", ", open));
    }
    List<String> troubles = new ArrayList<>();
    if (!open.isEmpty()) {
      troubles.add("circuit open for " + String.join(", ", open));
    }
    if (!halfOpen.isEmpty()) {
      troubles.add("circuit half-open (probing) for " + String.join(", ", halfOpen));
    }
    int rejected = provider.keys().size() - provider.keys().activeCount();
    if (rejected > 0) {
      troubles.add(
          rejected + " of " + provider.keys().size() + " API keys rejected by the provider");
    }
    if (snapshot.calls() >= MIN_CALLS && snapshot.errorRate() >= DEGRADED_ERROR_RATE) {
      troubles.add(
          snapshot.failedCalls()
              + " of "
              + snapshot.calls()
              + " recent calls failed ("
              + Math.round(snapshot.errorRate() * 100)
              + "%); last error: "
              + snapshot.lastError());
    }
    return troubles.isEmpty()
        ? Verdict.HEALTHY
        : new Verdict(Status.DEGRADED, String.join("; ", troubles));
  }

  private Stats stats(String provider) {
    return stats.computeIfAbsent(provider, name -> new Stats());
  }

  /**
   * What is known about a provider at one moment.
   *
   * @param calls calls in the window
   * @param failedCalls those of them that failed
   * @param errorRate share of them that failed, 0 to 1
   * @param p50Ms median latency in the window, or -1
   * @param p95Ms 95th percentile latency, or -1
   * @param lastError the latest failure's message, from traffic or a check
   * @param lastErrorAt when it happened
   * @param lastSuccessAt the latest successful call or check
   * @param lastCheckAt the latest active check, or null
   * @param lastCheckOk its outcome, or null
   * @param lastCheckLatencyMs its duration
   * @param failedCheckIsLatest whether a failed check came after the latest success
   */
  public record Snapshot(
      int calls,
      int failedCalls,
      double errorRate,
      long p50Ms,
      long p95Ms,
      String lastError,
      Instant lastErrorAt,
      Instant lastSuccessAt,
      Instant lastCheckAt,
      Boolean lastCheckOk,
      long lastCheckLatencyMs,
      boolean failedCheckIsLatest) {}

  /** A ring of the latest calls; small and synchronized, touched once per upstream call. */
  private static final class Stats {
    private final long[] latencies = new long[WINDOW];
    private final boolean[] failures = new boolean[WINDOW];
    private final long[] times = new long[WINDOW];
    private int count;
    private int nextSlot;
    private String lastError;
    private Instant lastErrorAt;
    private Instant lastSuccessAt;
    private Instant lastCheckAt;
    private Boolean lastCheckOk;
    private long lastCheckLatencyMs;

    /** Orders this provider's events without trusting the clock to move between them. */
    private long events;

    private long lastSuccessSeq;
    private long lastFailedCheckSeq;

    synchronized void recordCall(boolean failed, long latencyMs, String error, Instant now) {
      long seq = ++events;
      latencies[nextSlot] = latencyMs;
      failures[nextSlot] = failed;
      times[nextSlot] = now.toEpochMilli();
      nextSlot = (nextSlot + 1) % WINDOW;
      count = Math.min(count + 1, WINDOW);
      if (failed) {
        lastError = error;
        lastErrorAt = now;
      } else {
        lastSuccessAt = now;
        lastSuccessSeq = seq;
      }
    }

    synchronized void recordCheck(boolean ok, long latencyMs, String error, Instant now) {
      long seq = ++events;
      lastCheckAt = now;
      lastCheckOk = ok;
      lastCheckLatencyMs = latencyMs;
      if (ok) {
        lastSuccessAt = now;
        lastSuccessSeq = seq;
      } else {
        lastError = error;
        lastErrorAt = now;
        lastFailedCheckSeq = seq;
      }
    }

    synchronized Snapshot snapshot(long since) {
      long[] recent = new long[count];
      int calls = 0;
      int failed = 0;
      for (int i = 0; i < count; i++) {
        if (times[i] >= since) {
          recent[calls++] = latencies[i];
          if (failures[i]) {
            failed++;
          }
        }
      }
      long[] sorted = Arrays.copyOf(recent, calls);
      Arrays.sort(sorted);
      return new Snapshot(
          calls,
          failed,
          calls == 0 ? 0 : (double) failed / calls,
          percentile(sorted, 0.50),
          percentile(sorted, 0.95),
          lastError,
          lastErrorAt,
          lastSuccessAt,
          lastCheckAt,
          lastCheckOk,
          lastCheckLatencyMs,
          lastFailedCheckSeq > lastSuccessSeq);
    }

    private static long percentile(long[] sorted, double quantile) {
      if (sorted.length == 0) {
        return -1;
      }
      int index = (int) Math.ceil(quantile * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
  }
}
