package dev.conduit.assembly;

import dev.conduit.cache.ResponseCache;
import dev.conduit.config.CacheConfig;
import dev.conduit.pipeline.CallSettler;
import dev.conduit.pipeline.ResponseCaching;
import dev.conduit.route.ModelRoute;

/**
 * The response cache ({@code cache:}): its tiers on the platform's clock, metrics and Redis client,
 * and the pipeline step that uses it. The cache object always exists (the admin API and the hit and
 * miss series speak of it); the step exists only when some alias is cached, so a gateway without a
 * {@code cache:} section serves exactly as before.
 */
final class CacheModule implements AutoCloseable {
  final ResponseCache cache;

  CacheModule(Platform platform, RoutingModule routing) {
    CacheConfig config = platform.config.cache();
    this.cache =
        new ResponseCache(
            config,
            platform.clock,
            platform.metrics,
            platform.redis,
            platform.vertx,
            platform.config.redis());
    cache.series(routing.catalog.all().stream().map(ModelRoute::alias).toList());
  }

  /** The pipeline step; null when no alias is cached. */
  ResponseCaching step(CallSettler settler) {
    CacheConfig config = cache.config();
    boolean anyAlias =
        config.enabled()
            || config.models().values().stream()
                .anyMatch(alias -> Boolean.TRUE.equals(alias.enabled()));
    return anyAlias ? new ResponseCaching(cache, settler) : null;
  }

  @Override
  public void close() {}
}
