package dev.conduit.route;

import io.vertx.core.MultiMap;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before an attempt goes back to a deployment that failed: exponential backoff
 * with jitter, never less than what the provider asked for in {@code retry-after-ms} or {@code
 * Retry-After}.
 */
public final class RetryPolicy {
  private final long baseDelayMs;
  private final long maxDelayMs;
  private final long maxRetryAfterMs;
  private final Clock clock;

  public RetryPolicy(long baseDelayMs, long maxDelayMs, long maxRetryAfterMs, Clock clock) {
    this.baseDelayMs = baseDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.maxRetryAfterMs = maxRetryAfterMs;
    this.clock = clock;
  }

  /**
   * The delay before retry number {@code retry} (1 for the first): between half and all of {@code
   * base * 2^(retry-1)} (capped), and at least {@code retryAfterMs}.
   */
  public long delayMs(int retry, long retryAfterMs) {
    long exponential = baseDelayMs << Math.min(retry - 1, 20);
    long capped = Math.min(maxDelayMs, exponential);
    long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    return Math.max(jittered, retryAfterMs);
  }

  /** Whether a provider's requested wait is short enough to retry the same deployment. */
  public boolean worthWaiting(long retryAfterMs) {
    return retryAfterMs <= maxRetryAfterMs;
  }

  /**
   * The wait a provider asked for, in ms: {@code retry-after-ms} (OpenAI, Azure) first, then {@code
   * Retry-After} as seconds or an HTTP date; -1 when it asked for none.
   */
  public long retryAfterMs(MultiMap headers) {
    if (headers == null) {
      return -1;
    }
    String millis = headers.get("retry-after-ms");
    if (millis != null) {
      try {
        return Math.max(0, (long) Math.ceil(Double.parseDouble(millis.trim())));
      } catch (NumberFormatException ignored) {
        // Fall through to Retry-After.
      }
    }
    String value = headers.get("Retry-After");
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      return Math.max(0, (long) Math.ceil(Double.parseDouble(value.trim()) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - clock.millis());
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }
}
