package dev.conduit.assembly;

import dev.conduit.pricing.PriceSeed;
import dev.conduit.pricing.PriceService;
import dev.conduit.pricing.PriceTable;
import dev.conduit.store.ModelCostRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The price table: seeded, loaded from the database, and refreshed when another instance edits it.
 */
final class PricingModule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PricingModule.class);

  final PriceTable table = new PriceTable();
  final PriceService service;
  private final Schedule schedule;

  PricingModule(Platform platform) throws Exception {
    this.service =
        new PriceService(
            new ModelCostRepository(platform.database), platform.settings, table, platform.clock);
    service.applySeed(PriceSeed.load());
    service.reload();
    this.schedule = platform.schedule();
    schedule.blocking(platform.config.spend().refreshIntervalMs(), this::refreshQuietly);
  }

  private void refreshQuietly() {
    try {
      service.refreshIfChanged();
    } catch (java.sql.SQLException | RuntimeException e) {
      log.debug("Refreshing prices failed (kept in memory): {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    schedule.cancelAll();
  }
}
