package dev.conduit.keys;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Ids;
import dev.conduit.core.Usd;
import dev.conduit.store.KeyGroup;
import dev.conduit.store.KeyGroupRepository;
import dev.conduit.store.KeyGroupRepository.Transaction;
import dev.conduit.store.TableWatch;
import dev.conduit.store.VirtualKeyRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Key groups and their prepaid balances. A group's balance is its credits (every adjustment added
 * up) minus its keys' spend; adjustments are recorded as transactions, and so is spend (one usage
 * row per hour). Writes go to the database, then to this instance's {@link KeyGroupCache}; other
 * instances poll. Blocking: call from a worker thread.
 */
public final class KeyGroupService {
  private final KeyGroupRepository repository;
  private final VirtualKeyRepository keys;
  private final KeyGroupCache cache;
  private final SpendBook spend;
  private final Clock clock;
  private final TableWatch watch;

  public KeyGroupService(
      KeyGroupRepository repository,
      VirtualKeyRepository keys,
      KeyGroupCache cache,
      SpendBook spend,
      Clock clock) {
    this.repository = repository;
    this.keys = keys;
    this.cache = cache;
    this.spend = spend;
    this.clock = clock;
    this.watch =
        new TableWatch(repository::signature, () -> cache.replaceAll(repository.findAll()));
  }

  /**
   * A group and its balance now.
   *
   * @param spendNanos its keys' spend, written to the database or not yet
   */
  public record Balance(KeyGroup group, long spendNanos) {
    public long balanceNanos() {
      return group.creditsNanos() - spendNanos;
    }
  }

  /** A new group, with {@code initialNanos} credited when it is not zero. */
  public Balance create(String name, long initialNanos) throws SQLException {
    Instant now = clock.instant();
    KeyGroup group =
        new KeyGroup(Ids.uuid7(), name, initialNanos, 0, now, repository.nextStamp(clock.millis()));
    Transaction initial =
        initialNanos == 0
            ? null
            : new Transaction(
                Ids.uuid7(), group.id(), "adjustment", initialNanos, "Initial balance", now);
    repository.insert(group, initial);
    cache.put(group);
    return new Balance(group, 0);
  }

  public List<Balance> list() throws SQLException {
    List<KeyGroup> groups = repository.findAll();
    List<Balance> balances = new java.util.ArrayList<>(groups.size());
    for (KeyGroup group : groups) {
      balances.add(new Balance(group, spend.groupSpend(group.id())));
    }
    return balances;
  }

  public Optional<Balance> find(String id) throws SQLException {
    Optional<KeyGroup> group = repository.findById(id);
    if (group.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Balance(group.get(), spend.groupSpend(id)));
  }

  public boolean exists(String id) throws SQLException {
    return repository.findById(id).isPresent();
  }

  public Optional<Balance> rename(String id, String name) throws SQLException {
    if (!repository.rename(id, name, repository.nextStamp(clock.millis()))) {
      return Optional.empty();
    }
    reload();
    return find(id);
  }

  /** Deletes a group no active key draws on; 409 otherwise. */
  public boolean delete(String id) throws SQLException {
    List<String> members = keys.findActiveIdsInGroup(id);
    if (!members.isEmpty()) {
      throw new GatewayException(
          GatewayError.conflict(
              "key_group_in_use",
              "Key group '"
                  + id
                  + "' still has "
                  + members.size()
                  + " active key(s) ("
                  + String.join(", ", members.subList(0, Math.min(5, members.size())))
                  + (members.size() > 5 ? ", ..." : "")
                  + "): move or revoke them first."));
    }
    boolean deleted = repository.delete(id);
    if (deleted) {
      cache.remove(id);
    }
    return deleted;
  }

  /** Credits (positive) or debits (negative) the balance; empty when there is no such group. */
  public Optional<Transaction> adjust(String id, long amountNanos, String reason)
      throws SQLException {
    Optional<KeyGroup> group = repository.findById(id);
    if (group.isEmpty()) {
      return Optional.empty();
    }
    long credits = group.get().creditsNanos() + amountNanos;
    if (Math.abs(credits) > Usd.MAX_NANOS) {
      throw new GatewayException(
          GatewayError.badRequest(
              "invalid_request",
              "The balance would "
                  + "exceed "
                  + Usd.display(Usd.MAX_NANOS)
                  + ", the most a group can hold.",
              "amount"));
    }
    Transaction transaction =
        new Transaction(Ids.uuid7(), id, "adjustment", amountNanos, reason, clock.instant());
    if (!repository.adjust(transaction, repository.nextStamp(clock.millis()))) {
      return Optional.empty();
    }
    reload();
    return Optional.of(transaction);
  }

  /** A page of transactions, newest first; {@code before} continues a previous page. */
  public List<Transaction> transactions(String id, Instant beforeTime, String beforeId, int limit)
      throws SQLException {
    return repository.transactions(id, beforeTime, beforeId, limit);
  }

  public void refreshIfChanged() throws SQLException {
    watch.refreshIfChanged();
  }

  public void reload() throws SQLException {
    watch.reload();
  }
}
