package dev.conduit.pipeline;

import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Usage;
import dev.conduit.core.Usd;
import dev.conduit.observe.GatewayMetrics;
import dev.conduit.observe.RequestLogWriter;
import dev.conduit.pricing.Prices;
import dev.conduit.store.ModelPrice;
import dev.conduit.store.RequestLogEntry;
import java.util.concurrent.TimeUnit;

/**
 * Closes the books on a request exactly once: its cost (from the usage of the attempt that answered
 * and the price table), metrics, the settlement of its admission ticket (spend, budget reservation,
 * token count), and a request log row for every authenticated caller. Never blocks: the row goes to
 * the log writer's queue.
 */
public final class CallSettler {
  /** Status logged when the caller went away before the response was complete (as nginx). */
  public static final int CLIENT_CLOSED = 499;

  private static final int MAX_ERROR_MESSAGE = 1_000;

  /** The {@code provider} metric label of requests answered from the response cache. */
  public static final String CACHE_PROVIDER = "cache";

  /** Response header with a non-streamed call's cost in US dollars. */
  public static final String COST_HEADER = "X-Conduit-Cost";

  private final GatewayMetrics metrics;
  private final RequestLogWriter requestLog;
  private final Prices prices;

  public CallSettler(GatewayMetrics metrics, RequestLogWriter requestLog, Prices prices) {
    this.metrics = metrics;
    this.requestLog = requestLog;
    this.prices = prices;
  }

  /**
   * Prices a call that succeeded from its usage so far, for the {@value #COST_HEADER} header; null
   * when the deployment has no price. The cost is kept on the record, so settling the call as a
   * success does not price it again.
   */
  public String costHeader(CallRecord record) {
    Long cost = cost(record, true);
    record.cost(cost);
    return cost == null ? null : Usd.format(cost);
  }

  public void started() {
    metrics.requestStarted();
  }

  public void succeeded(CallRecord record, int status) {
    settle(record, status, null);
  }

  public void failed(CallRecord record, GatewayError error) {
    settle(record, error.status(), error);
  }

  /** A stream that ended badly after it started: the caller saw 200, the log keeps the error. */
  public void streamFailed(CallRecord record, GatewayError error) {
    settle(record, 200, error);
  }

  public void clientClosed(CallRecord record) {
    settle(
        record,
        CLIENT_CLOSED,
        new GatewayError(
            CLIENT_CLOSED,
            "client_closed",
            "client_closed",
            "The caller closed the connection before the response was complete.",
            null));
  }

  /**
   * A request answered from the response cache: no provider was called, so its tokens count toward
   * no token window, and it costs the caller nothing unless {@code charge} (then what the stored
   * answer cost).
   *
   * @param usage the tokens of the stored answer (logged, not counted)
   * @param savedNanos what the call that stored the answer cost; null when it was unpriced
   */
  public void cacheHit(CallRecord record, Usage usage, Long savedNanos, boolean charge) {
    record.servedFromCache(savedNanos);
    record.usage(usage);
    record.cost(charge && savedNanos != null ? savedNanos : 0L);
    if (!record.settle(200, null)) {
      return;
    }
    metrics.requestFinished();
    long durationNanos = System.nanoTime() - record.receivedNanos();
    String model = record.routedModel() == null ? "none" : record.routedModel();
    metrics.recordRequest(CACHE_PROVIDER, model, true, durationNanos, 0, 0);
    metrics.recordCost(CACHE_PROVIDER, model, record.costNanos());
    if (record.ticket() != null) {
      record.ticket().settle(record.costNanos(), Usage.NONE);
    }
    if (record.key() != null) {
      requestLog.submit(entry(record, durationNanos));
    }
  }

  /**
   * A Realtime session is over. Its responses were charged to the key as they completed (see {@code
   * RealtimeSession}), so only its row and metrics are left: {@code costNanos} is what they cost
   * together, and no admission ticket is settled here.
   *
   * @param status 101 for a session that ran and was closed by either side, else the status of why
   *     the gateway ended it
   * @param error why the gateway ended it, or null
   * @param costNanos null when the deployment has no price
   */
  public void sessionEnded(CallRecord record, int status, GatewayError error, Long costNanos) {
    record.cost(costNanos);
    settle(record, status, error, true);
  }

  private void settle(CallRecord record, int status, GatewayError error) {
    settle(record, status, error, false);
  }

  /** A Realtime session was opened: see {@link GatewayMetrics#realtimeSessionOpened}. */
  void realtimeSessionOpened(String provider, String alias) {
    metrics.realtimeSessionOpened(provider, alias);
  }

  void realtimeSessionClosed() {
    metrics.realtimeSessionClosed();
  }

  private void settle(CallRecord record, int status, GatewayError error, boolean costKnown) {
    if (!record.settle(status, error)) {
      return;
    }
    metrics.requestFinished();
    long durationNanos = System.nanoTime() - record.receivedNanos();
    String provider = record.deployment() == null ? "none" : record.deployment().provider().name();
    String model = record.routedModel() == null ? "none" : record.routedModel();
    boolean success = error == null;
    metrics.recordRequest(
        provider,
        model,
        success,
        durationNanos,
        record.usage().inputTokens(),
        record.usage().outputTokens());
    Long cost =
        costKnown || success && record.costNanos() != null
            ? record.costNanos()
            : cost(record, success);
    record.cost(cost);
    long charged = cost == null ? 0 : cost;
    metrics.recordCost(provider, model, charged);
    if (record.ticket() != null) {
      record.ticket().settle(charged, record.usage());
    }
    if (record.key() != null) {
      requestLog.submit(entry(record, durationNanos));
    }
  }

  /**
   * The call's cost from its usage, its units and its deployment's price: token cost plus unit cost
   * ({@link ModelPrice#cost(dev.conduit.core.Units, String)}). Null when unpriced: no price for the
   * deployment, or units the price has no rate for.
   */
  private Long cost(CallRecord record, boolean succeeded) {
    if (record.deployment() == null) {
      return record.usage().totalTokens() == 0 && record.units() == null ? 0L : null;
    }
    return prices
        .find(record.deployment())
        .map(price -> cost(price, record, succeeded))
        // Moderations are free where they are served, unless a price row says otherwise.
        .orElse(record.endpoint() == Endpoint.MODERATIONS ? 0L : null);
  }

  private static Long cost(ModelPrice price, CallRecord record, boolean succeeded) {
    long tokens = price.cost(record.usage(), succeeded);
    Long units = price.cost(record.units(), record.unitVariant());
    return units == null ? null : tokens + units;
  }

  private static RequestLogEntry entry(CallRecord record, long durationNanos) {
    GatewayError error = record.error();
    long ttfb = record.timeToFirstByteNanos();
    return new RequestLogEntry(
        record.id(),
        record.receivedAt(),
        record.requestId(),
        record.key().id(),
        record.endpoint().name().toLowerCase(java.util.Locale.ROOT),
        record.model(),
        record.deployment() == null ? null : record.deployment().provider().name(),
        record.deployment() == null ? null : record.deployment().model(),
        record.status(),
        record.stream(),
        record.usage().inputTokens(),
        record.usage().outputTokens(),
        record.usage().cachedInputTokens(),
        TimeUnit.NANOSECONDS.toMillis(durationNanos),
        ttfb < 0 ? null : TimeUnit.NANOSECONDS.toMillis(ttfb),
        record.attempts(),
        error == null ? null : error.code() != null ? error.code() : error.type(),
        error == null ? null : truncate(error.message()),
        record.costNanos(),
        record.key().limits().groupId(),
        record.cacheHit(),
        record.costSavedNanos(),
        record.units());
  }

  private static String truncate(String message) {
    return message == null || message.length() <= MAX_ERROR_MESSAGE
        ? message
        : message.substring(0, MAX_ERROR_MESSAGE);
  }
}
