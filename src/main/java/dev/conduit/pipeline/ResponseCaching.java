package dev.conduit.pipeline;

import dev.conduit.cache.Answers;
import dev.conduit.cache.CacheControl;
import dev.conduit.cache.CacheEntry;
import dev.conduit.cache.ResponseCache;
import dev.conduit.core.Endpoint;
import dev.conduit.core.StreamChunk;
import dev.conduit.core.Usd;
import dev.conduit.store.VirtualKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache on a request's path, before routing: decides whether a call may use the cache
 * (and how: read, write), looks it up, and answers a hit in the caller's form (the stored JSON, or
 * a stream in the caller's dialect rebuilt from it). A hit never calls a provider. Shared by every
 * event loop; holds no per-request state.
 */
public final class ResponseCaching {
  private static final Logger log = LoggerFactory.getLogger(ResponseCaching.class);

  /** Response header: {@code hit}, {@code miss} or {@code bypass}. */
  public static final String HEADER = "X-Conduit-Cache";

  private final ResponseCache cache;
  private final CallSettler settler;

  public ResponseCaching(ResponseCache cache, CallSettler settler) {
    this.cache = cache;
    this.settler = settler;
  }

  /**
   * How {@code call} uses the cache; null when it bypasses it (cache off for the alias, the key
   * denied caching, {@code no-store}, or a request whose answer the cache cannot replay exactly).
   */
  Plan plan(InboundCall call, String alias, VirtualKey caller, CacheControl control) {
    if (!cache.enabledFor(alias) || control.noStore() || caller == null || deniedTo(caller)) {
      return null;
    }
    if (!call.endpoint().cacheable()) {
      return null; // images, audio, rerank...: not deterministic, or not replayable as stored
    }
    if (call.endpoint() == Endpoint.RESPONSES) {
      return null; // each answer has its own id and may be stored for a continuation
    }
    if (call.stream() && call.endpoint() == Endpoint.COMPLETIONS) {
      return null; // legacy completions streams have no canonical form to rebuild them from
    }
    String key;
    try {
      key = cache.key(call.endpoint(), alias, caller, call.body());
    } catch (IllegalArgumentException e) {
      return null;
    }
    return key == null ? null : new Plan(key, !control.noCache(), control.maxAgeSeconds());
  }

  /** A key whose metadata says {@code "cache": false} never reads or writes the cache. */
  private static boolean deniedTo(VirtualKey caller) {
    return caller.metadata() != null
        && caller.metadata().path("cache").isBoolean()
        && !caller.metadata().path("cache").booleanValue();
  }

  /** Looks the plan's key up: the hit, or null. Never fails. */
  Future<ResponseCache.Hit> lookup(Plan plan, String alias) {
    return cache
        .lookup(plan.key(), alias, plan.maxAgeSeconds())
        .otherwise((ResponseCache.Hit) null);
  }

  CacheRecorder recorder(Plan plan, InboundCall call, CallRecord record) {
    return new CacheRecorder(cache, plan.key(), call, record);
  }

  /**
   * Answers {@code call} with a cached entry and settles it.
   *
   * @throws RuntimeException when the entry cannot be replayed in the form asked for (nothing has
   *     been written or settled then: the caller can be served as a miss)
   */
  void replay(
      ResponseCache.Hit hit, InboundCall call, CallRecord record, HttpServerResponse response) {
    CacheEntry entry = hit.entry();
    List<Buffer> events = call.stream() ? events(entry, call) : null;
    boolean charge = cache.config().chargeHits();
    if (response.closed()) {
      settler.clientClosed(record);
      return;
    }
    // Settled before the answer is written: the caller's next request sees its limits settled.
    // From here on the call is answered from the cache, whatever happens to the write.
    cache.served(hit, record.routedModel());
    settler.cacheHit(record, entry.usage(), entry.costNanos(), charge);
    try {
      write(entry, events, charge, response);
    } catch (RuntimeException e) {
      log.warn("Writing a cached answer failed (request {})", record.requestId(), e);
      response.reset();
    }
  }

  private void write(
      CacheEntry entry, List<Buffer> events, boolean charge, HttpServerResponse response) {
    response
        .putHeader(HEADER, "hit")
        .putHeader("Age", Long.toString(entry.ageSeconds(cache.nowMillis())))
        .setStatusCode(200);
    if (events == null) {
      long charged = charge && entry.costNanos() != null ? entry.costNanos() : 0;
      response
          .putHeader(CallSettler.COST_HEADER, Usd.format(charged))
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(Buffer.buffer(entry.body()));
      return;
    }
    response
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    for (Buffer event : events) {
      response.write(event);
    }
    response.end();
  }

  /** {@code hit} could not be replayed: counted as a miss, and the call goes to a provider. */
  void unusable(String alias) {
    cache.unusable(alias);
  }

  /** The stored answer as the caller's stream events, usage included when the caller asked. */
  private static List<Buffer> events(CacheEntry entry, InboundCall call) {
    if (!Answers.replayableAsStream(call.protocol(), entry.body())) {
      throw new IllegalStateException("the stored answer has parts a rebuilt stream cannot carry");
    }
    List<StreamChunk> chunks =
        Answers.chunks(Answers.read(call.protocol(), entry.body()).withUsage(entry.usage()));
    StreamEncoder encoder = call.dialect().newStreamEncoder(call.callerWantsUsage());
    List<Buffer> events = new ArrayList<>();
    for (StreamChunk chunk : chunks) {
      encoder.encode(chunk, events::add);
    }
    encoder.finish(events::add);
    return events;
  }

  /**
   * How one call uses the cache.
   *
   * @param key the request's cache key
   * @param read whether to look it up ({@code no-cache} only writes)
   * @param maxAgeSeconds the oldest answer the caller accepts; null for any unexpired one
   */
  record Plan(String key, boolean read, Long maxAgeSeconds) {}
}
