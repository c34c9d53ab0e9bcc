package dev.conduit.testing;

import dev.conduit.pipeline.RetryTimer;
import java.time.Clock;
import java.util.Map;
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

  /** Environment variables the gateway reads beside the test defaults. */
  protected Map<String, String> env() {
    return Map.of();
  }

  protected RetryTimer retryTimer() {
    return RetryTimer.VERTX;
  }

  /**
   * The whole configuration; by default the mock's providers and models ({@link Yaml#withMock}) and
   * {@link #extraYaml()}. A test that lays out its own providers overrides this, using {@link
   * #mock} and {@link #db}, which exist by then.
   */
  protected String yaml() {
    return Yaml.withMock(mock, db.url(), serverSettings()) + extraYaml();
  }

  /** Runs once the gateway serves: prices, keys, traffic the tests share. */
  protected void started() throws Exception {}

  @BeforeAll
  protected void startGateway() throws Exception {
    mock = new MockUpstream();
    db = TestDatabases.create(database());
    gateway = TestGateway.start(yaml(), env(), clock(), retryTimer());
    started();
  }

  @AfterAll
  protected void stopGateway() throws Exception {
    gateway.close();
    mock.close();
    db.close();
  }
}
