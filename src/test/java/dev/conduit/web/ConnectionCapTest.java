package dev.conduit.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.Eventually;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.PromText;
import dev.conduit.testing.RawHttp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Each listener accepts at most its configured number of open connections: one more is closed
 * without an answer, and a place freed by a closed connection is taken by the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionCapTest extends GatewayOnMock {
  private static final int CAP = 3;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String serverSettings() {
    return "  maxConnections: " + CAP + "\n  adminMaxConnections: " + CAP + "\n";
  }

  @Test
  void theClientListenerClosesConnectionsOverItsCap() throws Exception {
    overTheCapIsClosedAndAFreedPlaceIsTaken(gateway.gateway().port());
    assertRefusalsCounted("client");
  }

  @Test
  void theAdminListenerClosesConnectionsOverItsCap() throws Exception {
    overTheCapIsClosedAndAFreedPlaceIsTaken(gateway.gateway().adminPort());
    assertRefusalsCounted("admin");
  }

  private void assertRefusalsCounted(String listener) throws Exception {
    String metrics = gateway.client("GET", "/metrics", null, null).body();
    double refused =
        PromText.value(
                metrics, "conduit_listener_connections_refused_total", Map.of("listener", listener))
            .orElse(0);
    double open =
        PromText.value(metrics, "conduit_listener_connections", Map.of("listener", listener))
            .orElse(-1);
    assertThat(refused).isGreaterThanOrEqualTo(1);
    assertThat(open).isBetween(0.0, (double) CAP);
  }

  private static void overTheCapIsClosedAndAFreedPlaceIsTaken(int port) throws Exception {
    List<RawHttp> served = new ArrayList<>();
    try {
      // Connections open before this test (the test harness's own) only lower the count served.
      boolean refused = false;
      for (int i = 0; i <= CAP && !refused; i++) {
        RawHttp socket = RawHttp.connect(port);
        if (answers(socket)) {
          served.add(socket);
        } else {
          refused = true;
          assertThat(socket.awaitClosed()).isTrue();
          socket.close();
        }
      }
      assertThat(refused).as("a connection over the cap was refused").isTrue();
      assertThat(served.size()).isLessThanOrEqualTo(CAP);
      for (RawHttp socket : served) {
        socket.close();
      }
      served.clear();
      Eventually.await(
          "a connection served once others closed",
          () -> {
            try (RawHttp socket = RawHttp.connect(port)) {
              return answers(socket);
            }
          },
          answered -> answered);
    } finally {
      for (RawHttp socket : served) {
        socket.close();
      }
    }
  }

  private static boolean answers(RawHttp socket) {
    try {
      socket.send("GET /health/live HTTP/1.1\r\nHost: conduit\r\n\r\n");
      return socket.readResponse().status() == 200;
    } catch (IOException e) {
      return false;
    }
  }
}
