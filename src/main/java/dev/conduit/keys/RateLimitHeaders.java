package dev.conduit.keys;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code X-RateLimit-*} headers OpenAI sends, for a key's requests and tokens windows: limit,
 * remaining, and time until reset as a duration such as {@code 1s} or {@code 6m0s}.
 */
final class RateLimitHeaders {
  private final Map<String, String> headers = new LinkedHashMap<>();

  /**
   * @param kind {@code Requests} or {@code Tokens}
   */
  RateLimitHeaders put(String kind, long limit, long remaining, long resetInMs) {
    headers.put("X-RateLimit-Limit-" + kind, Long.toString(limit));
    headers.put("X-RateLimit-Remaining-" + kind, Long.toString(Math.max(0, remaining)));
    headers.put("X-RateLimit-Reset-" + kind, duration(resetInMs));
    return this;
  }

  RateLimitHeaders retryAfter(long resetInMs) {
    headers.put("Retry-After", Long.toString(Math.max(1, (resetInMs + 999) / 1000)));
    return this;
  }

  Map<String, String> toMap() {
    return Map.copyOf(headers);
  }

  /**
   * Go-style durations as OpenAI sends them: {@code 850ms}, {@code 12s}, {@code 6m0s}, {@code
   * 23h5m0s}.
   */
  static String duration(long millis) {
    if (millis <= 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    long seconds = (millis + 999) / 1000;
    long hours = seconds / 3600;
    long minutes = seconds % 3600 / 60;
    long rest = seconds % 60;
    if (hours > 0) {
      return hours + "h" + minutes + "m" + rest + "s";
    }
    if (minutes > 0) {
      return minutes + "m" + rest + "s";
    }
    return rest + "s";
  }
}
