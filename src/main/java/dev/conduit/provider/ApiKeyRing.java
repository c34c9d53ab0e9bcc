package dev.conduit.provider;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider's API keys, used in turn. Never exposes a key in {@link #toString()}.
 */
public final class ApiKeyRing {
  private final List<String> keys;
  private final AtomicInteger next = new AtomicInteger();

  public ApiKeyRing(List<String> keys) {
    this.keys = List.copyOf(keys);
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The key for the next request, or null when the provider has none. */
  public String current() {
    if (keys.isEmpty()) {
      return null;
    }
    return keys.get(Math.floorMod(next.getAndIncrement(), keys.size()));
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
    return "ApiKeyRing[" + keys.size() + " keys]";
  }
}
