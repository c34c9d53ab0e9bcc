package dev.conduit.keys;

import dev.conduit.store.VirtualKey;
import dev.conduit.store.VirtualKeyRepository;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link VirtualKeyCache} in step with the database, for changes made through other gateway
 * instances. Each poll reads only keys changed since the last one (with an overlap window for clock
 * skew and late commits), so it stays cheap however many keys exist. Blocking: run from a worker
 * thread.
 */
public final class VirtualKeyRefresher {
  private static final Logger log = LoggerFactory.getLogger(VirtualKeyRefresher.class);

  /** Re-read changes this far back, in case another instance's commit landed late. */
  private static final long OVERLAP_MS = 10_000;

  private final VirtualKeyRepository repository;
  private final VirtualKeyCache cache;
  private long newestSeen = Long.MIN_VALUE;
  private boolean failing;

  public VirtualKeyRefresher(VirtualKeyRepository repository, VirtualKeyCache cache) {
    this.repository = repository;
    this.cache = cache;
  }

  /** Loads every key; the gateway is not ready before this succeeds once. */
  public synchronized void loadAll() throws SQLException {
    List<VirtualKey> keys = repository.findAll();
    apply(keys);
    cache.markLoaded();
    log.info("Loaded {} virtual keys", keys.size());
  }

  /** Applies changes made since the last poll. */
  public synchronized void poll() {
    try {
      if (!cache.isLoaded()) {
        loadAll();
        return;
      }
      long since = newestSeen == Long.MIN_VALUE ? Long.MIN_VALUE : newestSeen - OVERLAP_MS;
      apply(repository.findChangedSince(since));
      if (failing) {
        log.info("Virtual key refresh works again");
        failing = false;
      }
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        log.warn("Virtual key refresh failed (keys in memory stay in force): {}", e.getMessage());
        failing = true;
      }
    }
  }

  private void apply(List<VirtualKey> keys) {
    for (VirtualKey key : keys) {
      cache.put(key);
      newestSeen = Math.max(newestSeen, key.updatedAt());
    }
  }
}
