package dev.conduit.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.conduit.cache.ResponseCache;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/admin/cache}: the response cache's state per tier; {@code DELETE
 * /api/admin/cache}: drops every answer, or those of {@code ?model=} and/or {@code ?keyId=} (the
 * key that stored them), from every tier. Redis is read with SCAN, off the request path.
 */
public final class CacheAdminRoutes implements AdminRoutes {
  private final ResponseCache cache;

  public CacheAdminRoutes(ResponseCache cache) {
    this.cache = cache;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/admin/cache").handler(this::stats);
    router.delete("/api/admin/cache").handler(this::delete);
  }

  private void stats(RoutingContext context) {
    AdminJson.reply(
        context,
        200,
        cache
            .stats()
            .map(
                stats ->
                    new StatsView(
                        stats.enabled(),
                        cache.config().scope(),
                        cache.config().ttlSeconds(),
                        cache.config().tiers(),
                        cache.config().usesMemory()
                            ? new TierView(
                                stats.memoryEntries(),
                                stats.memoryBytes(),
                                cache.config().maxBytes())
                            : null,
                        stats.redis() ? new TierView(stats.redisEntries(), null, null) : null)));
  }

  private void delete(RoutingContext context) {
    String model = context.request().getParam("model");
    String keyId = context.request().getParam("keyId");
    if (model != null) {
      AdminText.checkName(model, "model");
    }
    if (keyId != null) {
      AdminText.checkText(keyId, "keyId", 128);
    }
    AdminJson.reply(
        context,
        200,
        cache
            .delete(model, keyId)
            .map(removed -> new DeletedView(model, keyId, removed.memory(), removed.redis())));
  }

  /** The cache's settings and its tiers; a tier not in use is left out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record StatsView(
      boolean enabled,
      String scope,
      long ttlSeconds,
      java.util.List<String> tiers,
      TierView memory,
      TierView redis) {}

  /**
   * @param entries answers held
   * @param bytes their size (memory tier)
   * @param maxBytes the memory tier's bound
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record TierView(Long entries, Long bytes, Long maxBytes) {}

  /** What a delete removed, per tier. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DeletedView(String model, String keyId, long memory, long redis) {}
}
