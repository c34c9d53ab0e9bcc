package dev.conduit.admin;

import dev.conduit.core.Usd;
import dev.conduit.store.RequestLogStats;
import dev.conduit.store.RequestLogStats.Cell;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-minute totals and latency histograms built from {@link RequestLogStats} cells, every minute
 * of the window present (empty ones as zeros), and the window's total with its percentiles taken
 * from the merged histogram (percentiles of minutes cannot be averaged). Pure arithmetic; one
 * instance per answer.
 */
final class MinuteSeries {
  private static final int BUCKETS = RequestLogStats.LATENCY_BOUNDS_MS.length + 1;

  private final Instant from;
  private final long[][] counts;
  private final long[][] histograms;
  private final long[] totals = new long[7];
  private final long[] histogram = new long[BUCKETS];

  private MinuteSeries(Instant from, int minutes) {
    this.from = from;
    this.counts = new long[minutes][7];
    this.histograms = new long[minutes][BUCKETS];
  }

  static MinuteSeries of(Instant from, int minutes, List<Cell> cells) {
    MinuteSeries series = new MinuteSeries(from, minutes);
    long firstMinute = from.getEpochSecond() / 60;
    for (Cell cell : cells) {
      int index = (int) (cell.minute() - firstMinute);
      if (index < 0 || index >= minutes) {
        continue;
      }
      long[] values = {
        cell.requests(),
        cell.errors(),
        cell.streams(),
        cell.cacheHits(),
        cell.inputTokens(),
        cell.outputTokens(),
        cell.costNanos()
      };
      for (int i = 0; i < values.length; i++) {
        series.counts[index][i] += values[i];
        series.totals[i] += values[i];
      }
      int bucket = Math.min(Math.max(cell.bucket(), 0), BUCKETS - 1);
      series.histograms[index][bucket] += cell.requests();
      series.histogram[bucket] += cell.requests();
    }
    return series;
  }

  List<Minute> minutes() {
    List<Minute> minutes = new ArrayList<>(counts.length);
    for (int i = 0; i < counts.length; i++) {
      long[] c = counts[i];
      minutes.add(
          new Minute(
              from.plusSeconds(60L * i),
              c[0],
              c[1],
              c[2],
              c[3],
              c[4] + c[5],
              Usd.toDollars(c[6]),
              percentile(histograms[i], c[0], 0.50),
              percentile(histograms[i], c[0], 0.95)));
    }
    return minutes;
  }

  /** The window's total, its request rate over {@code seconds}. */
  Total total(double seconds) {
    long requests = totals[0];
    return new Total(
        requests,
        Math.round(requests / seconds * 1_000) / 1_000.0,
        totals[1],
        requests == 0 ? 0 : Math.round(totals[1] * 10_000.0 / requests) / 10_000.0,
        totals[2],
        totals[3],
        requests == 0 ? 0 : Math.round(totals[3] * 10_000.0 / requests) / 10_000.0,
        totals[4],
        totals[5],
        Usd.toDollars(totals[6]),
        percentile(histogram, requests, 0.50),
        percentile(histogram, requests, 0.95));
  }

  /**
   * The {@code q} quantile of a histogram, interpolated linearly inside its bucket; null without
   * requests. The slowest bucket has no upper bound: its lower bound is answered.
   */
  static Long percentile(long[] histogram, long count, double q) {
    if (count == 0) {
      return null;
    }
    double rank = q * count;
    long below = 0;
    long[] bounds = RequestLogStats.LATENCY_BOUNDS_MS;
    for (int bucket = 0; bucket < histogram.length; bucket++) {
      long inBucket = histogram[bucket];
      if (inBucket > 0 && below + inBucket >= rank) {
        long lower = bucket == 0 ? 0 : bounds[bucket - 1];
        if (bucket >= bounds.length) {
          return lower;
        }
        double within = (rank - below) / inBucket;
        return Math.round(lower + within * (bounds[bucket] - lower));
      }
      below += inBucket;
    }
    return bounds[bounds.length - 1];
  }

  /** One minute (its start), latencies in milliseconds (null without requests). */
  record Minute(
      Instant minute,
      long requests,
      long errors,
      long streams,
      long cacheHits,
      long tokens,
      BigDecimal cost,
      Long p50Ms,
      Long p95Ms) {}

  /**
   * The whole window.
   *
   * @param requestsPerSecond requests over the seconds from the window's start to now
   * @param errorRate errors per request, 0 to 1
   * @param cacheHitRate cache hits per request, 0 to 1
   */
  record Total(
      long requests,
      double requestsPerSecond,
      long errors,
      double errorRate,
      long streams,
      long cacheHits,
      double cacheHitRate,
      long inputTokens,
      long outputTokens,
      BigDecimal cost,
      Long p50Ms,
      Long p95Ms) {}
}
