package dev.conduit.testing;

import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A gateway on a {@link MockUpstream} ({@link Yaml#withMock}) and a fresh database of one kind,
 * started once for a test class with the per-class lifecycle and stopped after it. Subclasses name
 * the database, add configuration, and prepare what their tests share in {@link #started}.
 */
public abstract class GatewayOnMock {
  protected MockUpstream mock;
  protected TestDatabases.TestDatabase db;
  protected TestGateway gateway;

  /** {@code "sqlite"} or {@code "postgresql"} ({@link TestDatabases#create}). */
  protected abstract String database();

  /** Lines added to the {@code server:} section; null for none. */
  protected String serverSettings() {
    return null;
  }

  /** Configuration after the mock's providers and models (more aliases, say). */
  protected String extraYaml() {
    return "";
  }

  protected Clock clock() {
    return Clock.systemUTC();
  }

  /** Runs once the gateway serves: prices, keys, traffic the tests share. */
  protected void started() throws Exception {}

  @BeforeAll
  protected void startGateway() throws Exception {
    mock = new MockUpstream();
    db = TestDatabases.create(database());
    gateway =
        TestGateway.start(Yaml.withMock(mock, db.url(), serverSettings()) + extraYaml(), clock());
    started();
  }

  @AfterAll
  protected void stopGateway() throws Exception {
    gateway.close();
    mock.close();
    db.close();
  }
}
