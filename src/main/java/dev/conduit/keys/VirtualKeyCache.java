package dev.conduit.keys;

import dev.conduit.store.VirtualKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every virtual key, in memory, by hash: the request path looks keys up here, never in the
 * database. Kept current by the admin API (at once, on this instance) and by {@link
 * VirtualKeyRefresher} (changes made by other instances).
 */
public final class VirtualKeyCache {
  private final Map<String, VirtualKey> byHash = new ConcurrentHashMap<>();
  private final Map<String, VirtualKey> byId = new ConcurrentHashMap<>();
  private volatile boolean loaded;

  public VirtualKey findByHash(String keyHash) {
    return byHash.get(keyHash);
  }

  public VirtualKey findById(String id) {
    return byId.get(id);
  }

  /** Adds or replaces a key, unless the cached copy is newer. */
  public void put(VirtualKey key) {
    byId.compute(
        key.id(),
        (id, existing) -> {
          if (existing != null && existing.updatedAt() > key.updatedAt()) {
            return existing;
          }
          if (existing != null && !existing.keyHash().equals(key.keyHash())) {
            byHash.remove(existing.keyHash());
          }
          byHash.put(key.keyHash(), key);
          return key;
        });
  }

  public void putAll(Collection<VirtualKey> keys) {
    keys.forEach(this::put);
  }

  /** Every cached key. */
  public Collection<VirtualKey> all() {
    return List.copyOf(byId.values());
  }

  public int size() {
    return byId.size();
  }

  /** Whether the first full load has happened (before it, the gateway is not ready). */
  public boolean isLoaded() {
    return loaded;
  }

  /** How many keys are held, for readiness; empty before the first full load. */
  public OptionalInt loadedCount() {
    return loaded ? OptionalInt.of(byId.size()) : OptionalInt.empty();
  }

  public void markLoaded() {
    loaded = true;
  }
}
