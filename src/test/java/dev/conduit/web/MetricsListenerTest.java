package dev.conduit.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Where {@code /metrics} (per-key spend by key id) is served: on both listeners by default, on the
 * admin listener only with {@code server.metricsOnClientPort: false}. Health stays on both.
 */
class MetricsListenerTest {

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class ByDefault extends GatewayOnMock {
    @Override
    protected String database() {
      return "sqlite";
    }

    @Test
    void bothListenersServeMetrics() throws Exception {
      assertThat(gateway.client("GET", "/metrics", null, null).body())
          .contains("conduit_llm_active_requests");
      assertThat(gateway.admin("GET", "/metrics", null).body())
          .contains("conduit_llm_active_requests");
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnTheAdminListenerOnly extends GatewayOnMock {
    @Override
    protected String database() {
      return "sqlite";
    }

    @Override
    protected String serverSettings() {
      return "  metricsOnClientPort: false\n";
    }

    @Test
    void theClientPortAnswers404ForMetrics() throws Exception {
      HttpResponse<String> response = gateway.client("GET", "/metrics", null, null);
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(TestGateway.json(response.body()).path("error").path("type").asText())
          .isEqualTo("invalid_request_error");
      assertThat(response.body()).doesNotContain("conduit_");
    }

    @Test
    void theAdminPortServesMetrics() throws Exception {
      HttpResponse<String> response = gateway.admin("GET", "/metrics", null);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("conduit_llm_active_requests");
    }

    @Test
    void healthStaysOnBothPorts() throws Exception {
      assertThat(gateway.client("GET", "/health/live", null, null).statusCode()).isEqualTo(200);
      assertThat(gateway.admin("GET", "/health/live", null).statusCode()).isEqualTo(200);
    }
  }
}
