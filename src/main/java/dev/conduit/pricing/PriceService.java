package dev.conduit.pricing;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Ids;
import dev.conduit.store.ModelCostRepository;
import dev.conduit.store.ModelPrice;
import dev.conduit.store.SettingsRepository;
import dev.conduit.store.TableWatch;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The price table: admin changes, import, the shipped seed list, and keeping the in-memory {@link
 * PriceTable} current (at once on this instance, by polling for other instances' changes).
 * Blocking: call from a worker thread.
 */
public final class PriceService {
  private static final Logger log = LoggerFactory.getLogger(PriceService.class);
  static final String SEED_SETTING = "price_seed_applied";

  private final ModelCostRepository repository;
  private final SettingsRepository settings;
  private final Clock clock;
  private final TableWatch watch;

  public PriceService(
      ModelCostRepository repository, SettingsRepository settings, PriceTable table, Clock clock) {
    this.repository = repository;
    this.settings = settings;
    this.clock = clock;
    this.watch =
        new TableWatch(repository::signature, () -> table.replaceAll(repository.findAll()));
  }

  /**
   * Applies the shipped price list once per list date: adds models the table lacks and updates rows
   * that came from an older list. Rows an administrator created, edited or imported are never
   * touched, and a seed row deleted by an administrator stays deleted until a newer list ships.
   */
  public void applySeed(PriceSeed seed) throws SQLException {
    Optional<String> applied = settings.find(SEED_SETTING);
    if (applied.isPresent() && applied.get().compareTo(seed.asOf()) >= 0) {
      return;
    }
    List<ModelPrice> changes = new ArrayList<>();
    long stamp = repository.nextStamp(clock.millis());
    for (PriceInput input : seed.prices()) {
      Optional<ModelPrice> existing = repository.find(input.provider(), input.model());
      if (existing.isEmpty()) {
        changes.add(input.toPrice(Ids.uuid7(), "seed", seed.asOf(), stamp));
      } else if ("seed".equals(existing.get().source())) {
        changes.add(input.toPrice(existing.get().id(), "seed", seed.asOf(), stamp));
      }
    }
    int created = repository.upsertAll(changes);
    settings.put(SEED_SETTING, seed.asOf());
    log.info(
        "Price list of {} applied: {} models added, {} updated",
        seed.asOf(),
        created,
        changes.size() - created);
    reload();
  }

  public List<ModelPrice> list() throws SQLException {
    return repository.findAll();
  }

  public Optional<ModelPrice> find(String id) throws SQLException {
    return repository.findById(id);
  }

  /** Adds a price; empty when the provider and model already have one. */
  public Optional<ModelPrice> create(PriceInput input) throws SQLException {
    if (repository.find(input.provider(), input.model()).isPresent()) {
      return Optional.empty();
    }
    ModelPrice price =
        input.toPrice(Ids.uuid7(), "admin", null, repository.nextStamp(clock.millis()));
    repository.insert(price);
    reload();
    return Optional.of(price);
  }

  /** Replaces a price; empty when there is no such row. */
  public Optional<ModelPrice> update(String id, PriceInput input) throws SQLException {
    if (repository.findById(id).isEmpty()) {
      return Optional.empty();
    }
    Optional<ModelPrice> clash = repository.find(input.provider(), input.model());
    if (clash.isPresent() && !clash.get().id().equals(id)) {
      throw new GatewayException(
          GatewayError.conflict(
              "model_cost_exists",
              "A price for "
                  + input.provider()
                  + "/"
                  + input.model()
                  + " already exists (id "
                  + clash.get().id()
                  + ")."));
    }
    ModelPrice price = input.toPrice(id, "admin", null, repository.nextStamp(clock.millis()));
    repository.update(price);
    reload();
    return Optional.of(price);
  }

  public boolean delete(String id) throws SQLException {
    boolean deleted = repository.delete(id);
    if (deleted) {
      reload();
    }
    return deleted;
  }

  /** Inserts or replaces prices by provider and model; returns {created, updated}. */
  public int[] importAll(List<PriceInput> inputs) throws SQLException {
    long stamp = repository.nextStamp(clock.millis());
    List<ModelPrice> prices = new ArrayList<>(inputs.size());
    for (PriceInput input : inputs) {
      prices.add(input.toPrice(Ids.uuid7(), "import", null, stamp));
    }
    int created = repository.upsertAll(prices);
    reload();
    return new int[] {created, prices.size() - created};
  }

  /** Reloads the in-memory table when the database changed (another instance's edit). */
  public void refreshIfChanged() throws SQLException {
    watch.refreshIfChanged();
  }

  /** Reads every price into the in-memory table. */
  public void reload() throws SQLException {
    watch.reload();
  }
}
