package dev.conduit.admin;

import static dev.conduit.admin.AdminJson.blocking;

import dev.conduit.store.RequestLogStats;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * {@code GET /api/admin/stats/recent?minutes=60}: the request log of the last minutes, one entry
 * per minute (requests, errors, latency p50/p95, tokens, cost, cache hits), their total, and the
 * requests in flight now. The admin console's overview reads it; it is computed from the request
 * log (so it counts every instance sharing the database, and rows still queued by a writer show up
 * a moment later), not from Prometheus. The query runs on a worker thread.
 */
public final class RecentStatsRoutes implements AdminRoutes {
  static final int DEFAULT_MINUTES = 60;
  static final int MAX_MINUTES = 1_440;

  private final RequestLogStats stats;
  private final Clock clock;
  private final IntSupplier activeRequests;

  /**
   * @param activeRequests the model calls this instance is serving now
   */
  public RecentStatsRoutes(RequestLogStats stats, Clock clock, IntSupplier activeRequests) {
    this.stats = stats;
    this.clock = clock;
    this.activeRequests = activeRequests;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/admin/stats/recent").handler(this::recent);
  }

  private void recent(RoutingContext context) {
    int minutes = minutes(context.request().getParam("minutes"));
    Instant now = clock.instant();
    // The current minute is included, partly filled: the window ends at the next minute's start.
    Instant to = now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    Instant from = to.minus(minutes, ChronoUnit.MINUTES);
    int active = activeRequests.getAsInt();
    AdminJson.reply(
        context,
        200,
        blocking(
            context,
            () -> {
              List<RequestLogStats.Cell> cells = stats.cells(from, to);
              MinuteSeries series = MinuteSeries.of(from, minutes, cells);
              double seconds = Math.max(1, (now.toEpochMilli() - from.toEpochMilli()) / 1_000.0);
              return new Recent(
                  from, to, now, minutes, active, series.total(seconds), series.minutes());
            }));
  }

  /** {@code minutes}: 60 when absent, 400 outside 1 to 1,440 (a day). */
  static int minutes(String text) {
    if (text == null) {
      return DEFAULT_MINUTES;
    }
    try {
      int minutes = Integer.parseInt(text);
      if (minutes >= 1 && minutes <= MAX_MINUTES) {
        return minutes;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw AdminJson.bad(
        "'minutes' must be a whole number from 1 to " + MAX_MINUTES + ".", "minutes");
  }

  /**
   * The answer.
   *
   * @param asOf when it was computed
   * @param activeRequests model calls in flight on the instance that answered
   * @param total the whole window
   * @param data one entry per minute, oldest first, minutes without requests included
   */
  record Recent(
      Instant from,
      Instant to,
      Instant asOf,
      int minutes,
      int activeRequests,
      MinuteSeries.Total total,
      List<MinuteSeries.Minute> data) {}
}
