package dev.conduit.keys;

import dev.conduit.core.Cidr;
import dev.conduit.core.Ids;
import dev.conduit.store.IpFilter;
import dev.conduit.store.IpFilterRepository;
import dev.conduit.store.TableWatch;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * Global IP filters: admin changes go to the database, then to this instance's {@link IpRules} at
 * once; other instances pick them up by polling. Blocking: call from a worker thread.
 */
public final class IpFilterService {
  private final IpFilterRepository repository;
  private final Clock clock;
  private final TableWatch watch;

  public IpFilterService(IpFilterRepository repository, IpRules rules, Clock clock) {
    this.repository = repository;
    this.clock = clock;
    this.watch =
        new TableWatch(repository::signature, () -> rules.replaceAll(repository.findAll()));
  }

  public IpFilter create(Cidr cidr, boolean allow, String description) throws SQLException {
    IpFilter filter =
        new IpFilter(
            Ids.uuid7(),
            cidr,
            allow,
            description,
            clock.instant(),
            repository.nextStamp(clock.millis()));
    repository.insert(filter);
    reload();
    return filter;
  }

  public List<IpFilter> list() throws SQLException {
    return repository.findAll();
  }

  public boolean delete(String id) throws SQLException {
    boolean deleted = repository.delete(id);
    if (deleted) {
      reload();
    }
    return deleted;
  }

  public void refreshIfChanged() throws SQLException {
    watch.refreshIfChanged();
  }

  public void reload() throws SQLException {
    watch.reload();
  }
}
