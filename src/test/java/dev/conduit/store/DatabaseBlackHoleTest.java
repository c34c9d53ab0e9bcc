package dev.conduit.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.BlackHoleProxy;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.PromText;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL black-holed (packets swallowed, no reset) under a running gateway, through a TCP proxy
 * inside the test (issue 11 item 2): requests keep answering, readiness reports the request log
 * writer that cannot commit, and after the network heals the writer times out its dead connection,
 * reconnects and writes every row, none lost.
 */
class DatabaseBlackHoleTest {
  static final String CHAT =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void theLogWriterRecoversFromAHalfOpenConnectionAndLosesNoRow() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.postgres()) {
      URI direct = URI.create(db.url().substring("jdbc:".length()));
      try (BlackHoleProxy proxy = new BlackHoleProxy(direct.getHost(), direct.getPort())) {
        String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + direct.getPath();
        String yaml =
            Yaml.withMock(mock, viaProxy, null)
                .replace(
                    "requestLog:\n",
                    "  connectTimeoutMs: 2000\n  socketTimeoutMs: 4000\n"
                        + "  logWriterStallMs: 1000\n"
                        + "requestLog:\n");
        int sent;
        try (TestGateway gateway = TestGateway.start(yaml)) {
          String key = gateway.newKey();
          // Steady traffic, so the writer commits every few milliseconds and the black hole
          // catches it inside a statement (a connection in use skips the pool's validation).
          AtomicInteger answered = new AtomicInteger();
          AtomicInteger failed = new AtomicInteger();
          AtomicBoolean sending = new AtomicBoolean(true);
          Thread sender =
              new Thread(
                  () -> {
                    while (sending.get()) {
                      try {
                        int status =
                            gateway.client("POST", "/v1/chat/completions", key, CHAT).statusCode();
                        (status == 200 ? answered : failed).incrementAndGet();
                      } catch (Exception e) {
                        failed.incrementAndGet();
                      }
                    }
                  });
          sender.start();
          Eventually.await("rows being written", () -> RequestLogs.count(db), n -> n >= 20);
          proxy.blackHole();
          int atBlackHole = answered.get();
          Eventually.await(
              "30 requests answered in the black hole", answered::get, n -> n >= atBlackHole + 30);
          sending.set(false);
          sender.join();
          assertThat(failed.get()).as("requests that did not get 200").isZero();
          sent = answered.get();
          int total = sent;
          JsonNode stalled =
              Eventually.await(
                  "readiness to report the request log writer",
                  () -> readiness(gateway).at("/checks/database"),
                  node ->
                      node.get("status").asText().equals("down")
                          && node.get("logWriterStalledMs").asLong() >= 1_000);
          assertThat(stalled.get("pendingLogRows").asLong()).isPositive();
          assertThat(stalled.get("error").asText()).isNotBlank();

          proxy.heal();
          // A generous limit: on a loaded machine the writer's retries after the socket timeout
          // take
          // longer; that no row is lost is what the test asserts.
          Eventually.await(
              "every row written",
              java.time.Duration.ofSeconds(120),
              () -> RequestLogs.count(db),
              n -> n == total);
          Eventually.await(
              "readiness to report the database up again",
              () -> readiness(gateway).at("/checks/database/status").asText(),
              "up"::equals);
          assertThat(
                  PromText.value(
                      gateway.client("GET", "/metrics", null, null).body(),
                      "conduit_request_log_writer_stalled_seconds",
                      java.util.Map.of()))
              .hasValue(0.0);
        }
        assertThat(RequestLogs.count(db)).isEqualTo(sent);
      }
    }
  }

  private static JsonNode readiness(TestGateway gateway) throws Exception {
    return TestGateway.json(gateway.client("GET", "/health/ready", null, null).body());
  }
}
