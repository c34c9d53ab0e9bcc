package dev.conduit.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Ids;
import dev.conduit.store.KeyLimits;
import dev.conduit.store.VirtualKey;
import dev.conduit.store.VirtualKeyRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Creating, changing and revoking virtual keys. Writes go to the database first, then to this
 * instance's {@link VirtualKeyCache} so they apply at once here (other instances pick them up
 * through {@link VirtualKeyRefresher}). Blocking: call from a worker thread.
 */
public final class VirtualKeyService {
  private final VirtualKeyRepository repository;
  private final VirtualKeyCache cache;
  private final Clock clock;
  private long lastStamp;

  public VirtualKeyService(VirtualKeyRepository repository, VirtualKeyCache cache, Clock clock) {
    this.repository = repository;
    this.cache = cache;
    this.clock = clock;
  }

  /** A new key; the returned secret is shown to the caller once and never stored. */
  public Created create(
      String name,
      List<String> allowedModels,
      Instant expiresAt,
      JsonNode metadata,
      KeyLimits limits)
      throws SQLException {
    String secret = KeyMaterial.newVirtualKey();
    Instant now = clock.instant();
    VirtualKey key =
        new VirtualKey(
            Ids.uuid7(),
            name,
            KeyMaterial.sha256Hex(secret),
            KeyMaterial.hint(secret),
            allowedModels,
            expiresAt,
            metadata,
            true,
            null,
            now,
            changeStamp(),
            limits);
    repository.insert(key);
    cache.put(key);
    return new Created(key, secret);
  }

  public List<VirtualKey> list() throws SQLException {
    return repository.findAll();
  }

  public Optional<VirtualKey> find(String id) throws SQLException {
    return repository.findById(id);
  }

  /** Applies {@code change} to the stored key; empty when there is no such key. */
  public Optional<VirtualKey> update(String id, KeyChange change) throws SQLException {
    Optional<VirtualKey> existing = repository.findById(id);
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    VirtualKey changed = change.applyTo(existing.get(), changeStamp());
    repository.update(changed);
    cache.put(changed);
    return Optional.of(changed);
  }

  /** Revokes for good; empty when there is no such key. */
  public Optional<VirtualKey> revoke(String id) throws SQLException {
    Instant now = clock.instant();
    return update(
        id,
        key ->
            key.revokedAt() != null
                ? key
                : new VirtualKey(
                    key.id(),
                    key.name(),
                    key.keyHash(),
                    key.keyHint(),
                    key.allowedModels(),
                    key.expiresAt(),
                    key.metadata(),
                    key.enabled(),
                    now,
                    key.createdAt(),
                    key.updatedAt(),
                    key.limits()));
  }

  /** A monotonic change stamp in epoch milliseconds: two quick edits still order correctly. */
  private synchronized long changeStamp() {
    long now = clock.millis();
    lastStamp = Math.max(now, lastStamp + 1);
    return lastStamp;
  }

  /** A change to a key's editable fields. */
  @FunctionalInterface
  public interface KeyChange {
    VirtualKey apply(VirtualKey key);

    /** Applies the change and stamps the result. */
    default VirtualKey applyTo(VirtualKey key, long updatedAt) {
      VirtualKey changed = apply(key);
      return new VirtualKey(
          changed.id(),
          changed.name(),
          changed.keyHash(),
          changed.keyHint(),
          changed.allowedModels(),
          changed.expiresAt(),
          changed.metadata(),
          changed.enabled(),
          changed.revokedAt(),
          changed.createdAt(),
          updatedAt,
          changed.limits());
    }
  }

  /**
   * @param key the stored key
   * @param secret the full key, to show once
   */
  public record Created(VirtualKey key, String secret) {
    @Override
    public String toString() {
      return "Created[" + key.id() + "]";
    }
  }
}
