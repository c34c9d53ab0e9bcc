package dev.conduit.provider;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's API keys, used in turn. A key the provider rejects as invalid (401/403) is taken out
 * of rotation; the set of rejected keys is shared with the ring's successors (the provider rebuilt
 * after an admin change), so a rejection is not forgotten on an unrelated change. Never exposes a
 * key in {@link #toString()}.
 */
public final class ApiKeyRing {
  private static final Logger log = LoggerFactory.getLogger(ApiKeyRing.class);

  private final List<String> keys;
  private final Set<String> rejected;
  private final AtomicInteger next = new AtomicInteger();

  public ApiKeyRing(List<String> keys) {
    this(keys, ConcurrentHashMap.newKeySet());
  }

  /** A ring that shares {@code rejected} (keys taken out of rotation) with earlier rings. */
  public ApiKeyRing(List<String> keys, Set<String> rejected) {
    this.keys = List.copyOf(keys);
    this.rejected = rejected;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The key for the next request, or null when the provider has none left in rotation. */
  public String current() {
    int size = keys.size();
    for (int tried = 0; tried < size; tried++) {
      String key = keys.get(Math.floorMod(next.getAndIncrement(), size));
      if (rejected.isEmpty() || !rejected.contains(key)) {
        return key;
      }
    }
    return null;
  }

  /**
   * The provider refused {@code key} as invalid ({@link UpstreamErrors#refusesKey}): takes it out
   * of rotation, and logs that (by the key's hint) the first time. The one place a key leaves
   * rotation, for live calls and health checks alike.
   *
   * @param provider the provider's name, for the log
   * @param seenIn what the provider answered, for the log ("a call", "a health check")
   * @return whether another key is still in rotation
   */
  public boolean refused(String key, String provider, String seenIn) {
    if (key != null && keys.contains(key) && rejected.add(key)) {
      log.warn(
          "Provider '{}' rejected API key {} in {}; it is out of rotation ({} of {} keys left)",
          provider,
          hint(key),
          seenIn,
          activeCount(),
          size());
    }
    return activeCount() > 0;
  }

  public int size() {
    return keys.size();
  }

  public int activeCount() {
    int active = 0;
    for (String key : keys) {
      if (!rejected.contains(key)) {
        active++;
      }
    }
    return active;
  }

  /** Whether the provider holds keys and every one of them was rejected. */
  public boolean allRejected() {
    return !keys.isEmpty() && activeCount() == 0;
  }

  /** {@code ****abcd}: the only form in which a provider key is ever shown. */
  public static String hint(String key) {
    if (key == null) {
      return null;
    }
    return "****" + (key.length() <= 4 ? "" : key.substring(key.length() - 4));
  }

  /** Whether {@code text} contains one of these keys verbatim. */
  public String redact(String text) {
    String result = text;
    for (String key : keys) {
      if (key.length() >= 8 && result.contains(key)) {
        result = result.replace(key, "***");
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return "ApiKeyRing[" + keys.size() + " keys, " + rejected.size() + " rejected]";
  }
}
