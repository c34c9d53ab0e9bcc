package dev.conduit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 11 item 10: a hung upstream gives up in bounded time. A request's attempts together get
 * {@code routing.deadlineMs}; a stream that stalls after its first chunk ends with an error event
 * after {@code timeouts.idleMs} without a byte. The limits here are small; every other timer is far
 * larger, so each test sees only the limit it is about.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HungUpstreamTest extends GatewayOnMock {
  private String key;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String extraYaml() {
    return """
          - alias: hung-everywhere
            retries: 5
            deployments:
              - { provider: mock, model: hang, timeouts: { firstByteMs: 120000 } }
              - { provider: mock-auth, model: hang, timeouts: { firstByteMs: 120000 } }
          - alias: stalls
            deployments:
              - { provider: mock, model: gated, timeouts: { idleMs: 500, totalMs: 120000 } }
        routing:
          deadlineMs: 1000
          healthCheckIntervalMs: 0
        """;
  }

  @Override
  protected void started() throws Exception {
    key = gateway.newKey();
  }

  @Test
  void theRequestDeadlineEndsAttemptsThatWouldEachWaitLonger() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"hung-everywhere\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(504);
    JsonNode error = TestGateway.json(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("upstream_timeout");
    assertThat(error.path("message").asText()).contains("deadline of 1000 ms");
    assertThat(response.headers().firstValue("X-Conduit-Attempts")).hasValue("1");
  }

  @Test
  void aStreamThatStallsAfterItsFirstChunkEndsWithAnErrorEvent() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/chat/completions",
            key,
            "{\"model\":\"stalls\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"content\":\"Hello\"")
        .contains("upstream_timeout")
        .contains("idle timeout of 500 ms")
        .doesNotContain("[DONE]");
  }
}
