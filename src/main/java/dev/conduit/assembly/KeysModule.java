package dev.conduit.assembly;

import dev.conduit.config.SpendConfig;
import dev.conduit.keys.Authenticator;
import dev.conduit.keys.IpFilterService;
import dev.conduit.keys.IpRules;
import dev.conduit.keys.KeyGroupCache;
import dev.conduit.keys.KeyGroupService;
import dev.conduit.keys.SpendBook;
import dev.conduit.keys.SpendRecovery;
import dev.conduit.keys.VirtualKeyCache;
import dev.conduit.keys.VirtualKeyRefresher;
import dev.conduit.keys.VirtualKeyService;
import dev.conduit.store.BudgetPeriod;
import dev.conduit.store.IpFilterRepository;
import dev.conduit.store.KeyGroupRepository;
import dev.conduit.store.SpendRepository;
import dev.conduit.store.VirtualKey;
import dev.conduit.store.VirtualKeyRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Virtual keys, key groups, IP rules and the spend book: loaded at start, and kept in step with
 * changes made through other instances.
 */
final class KeysModule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeysModule.class);
  private static final long KEY_REFRESH_MS = 500;

  final VirtualKeyCache keyCache = new VirtualKeyCache();
  final VirtualKeyService keyService;
  final Authenticator authenticator;
  final SpendBook spendBook;
  final KeyGroupCache groupCache = new KeyGroupCache();
  final KeyGroupService groupService;
  final IpRules ipRules = new IpRules();
  final IpFilterService ipFilterService;
  private final Schedule schedule;

  KeysModule(Platform platform) throws Exception {
    VirtualKeyRepository keyRepository = new VirtualKeyRepository(platform.database);
    VirtualKeyRefresher refresher = new VirtualKeyRefresher(keyRepository, keyCache);
    refresher.loadAll();
    this.keyService = new VirtualKeyService(keyRepository, keyCache, platform.clock);
    this.authenticator = new Authenticator(keyCache, platform.clock);

    SpendConfig spend = platform.config.spend();
    SpendRepository spendRepository = new SpendRepository(platform.database);
    this.spendBook =
        new SpendBook(
            spendRepository,
            platform.clock,
            platform.metrics.registry(),
            keyId -> budgetPeriodOf(keyCache.findById(keyId)),
            spend.flushIntervalMs(),
            platform.config.drain().timeoutMs());
    // Before groups load and counters seed: they read the spend it corrects.
    new SpendRecovery(spendRepository, platform.clock, 2 * spend.flushIntervalMs())
        .run(keyCache.all());
    this.groupService =
        new KeyGroupService(
            new KeyGroupRepository(platform.database),
            keyRepository,
            groupCache,
            spendBook,
            platform.clock);
    groupService.reload();
    this.ipFilterService =
        new IpFilterService(new IpFilterRepository(platform.database), ipRules, platform.clock);
    ipFilterService.reload();

    this.schedule = platform.schedule();
    schedule.blocking(KEY_REFRESH_MS, refresher::poll);
    schedule.blocking(spend.refreshIntervalMs(), this::refreshQuietly);
  }

  private static BudgetPeriod budgetPeriodOf(VirtualKey key) {
    return key != null && key.limits().hasBudget()
        ? key.limits().budgetPeriod()
        : BudgetPeriod.TOTAL;
  }

  /** Picks up key group and IP filter changes made through other instances. */
  private void refreshQuietly() {
    try {
      groupService.refreshIfChanged();
      ipFilterService.refreshIfChanged();
    } catch (java.sql.SQLException | RuntimeException e) {
      log.debug("Refreshing groups and IP filters failed (kept in memory): {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    schedule.cancelAll();
    spendBook.close();
  }
}
