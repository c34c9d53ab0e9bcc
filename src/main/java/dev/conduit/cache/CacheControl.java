package dev.conduit.cache;

import java.util.Locale;

/**
 * What a request's {@code Cache-Control} header asks of the response cache: {@code no-store} (do
 * not read, do not write), {@code no-cache} (do not read, do write), {@code max-age=N} (accept an
 * answer at most N seconds old). Other directives are ignored, as HTTP caches do.
 *
 * @param noStore neither read nor write
 * @param noCache do not read
 * @param maxAgeSeconds the oldest answer accepted; null for any unexpired one
 */
public record CacheControl(boolean noStore, boolean noCache, Long maxAgeSeconds) {
  public static final CacheControl NONE = new CacheControl(false, false, null);

  /** Reads the header; null or empty means no wishes. */
  public static CacheControl parse(String header) {
    if (header == null || header.isBlank()) {
      return NONE;
    }
    boolean noStore = false;
    boolean noCache = false;
    Long maxAge = null;
    for (String part : header.split(",")) {
      String directive = part.trim().toLowerCase(Locale.ROOT);
      if (directive.equals("no-store")) {
        noStore = true;
      } else if (directive.equals("no-cache")) {
        noCache = true;
      } else if (directive.startsWith("max-age=")) {
        String value = directive.substring("max-age=".length()).replace("\"", "");
        try {
          long seconds = Long.parseLong(value);
          if (seconds >= 0) {
            maxAge = maxAge == null ? seconds : Math.min(maxAge, seconds);
          }
        } catch (NumberFormatException e) {
          // An unreadable max-age is ignored, as an unknown directive.
        }
      }
    }
    return new CacheControl(noStore, noCache, maxAge);
  }
}
