package dev.conduit.assembly;

import dev.conduit.config.ConduitConfig;
import dev.conduit.keys.Admission;
import dev.conduit.keys.PromptTokenEstimator;
import dev.conduit.keys.SpendSeeds;
import dev.conduit.keys.counters.Counters;
import dev.conduit.keys.counters.LocalCounters;
import dev.conduit.keys.counters.RedisCounters;
import dev.conduit.web.HealthService;

/**
 * What admits a request before it is routed: IP rules, rate limits and budget reservations, counted
 * in Redis when configured (shared by every instance), else in this process.
 */
final class AdmissionModule implements AutoCloseable {
  final Counters counters;
  final Admission admission;

  AdmissionModule(
      Platform platform, KeysModule keys, PricingModule pricing, ObservabilityModule observe) {
    ConduitConfig config = platform.config;
    SpendSeeds seeds = new SpendSeeds(platform.vertx, keys.spendBook);
    LocalCounters localCounters = new LocalCounters(seeds);
    HealthService health = observe.health;
    this.counters =
        platform.redis == null
            ? localCounters
            : new RedisCounters(
                platform.vertx,
                platform.redis,
                config.redis().keyPrefix(),
                config.redis().timeoutMs(),
                config.redis().resolvedReplicaAcks(),
                localCounters,
                seeds,
                reason ->
                    health.redisChecked(
                        reason == null
                            ? HealthService.Check.up(0)
                            : HealthService.Check.down(reason)));
    health.countersMode(counters::mode);
    this.admission =
        new Admission(
            keys.ipRules,
            keys.groupCache,
            pricing.table,
            counters,
            keys.spendBook,
            new PromptTokenEstimator(config.spend().promptTokenMargin()),
            config.spend(),
            platform.metrics,
            platform.clock);
  }

  @Override
  public void close() {
    counters.close();
  }
}
