package dev.conduit.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.GatewayOnMock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cleartext HTTP/2 on the client listener: off by default (a client asking to upgrade stays on
 * HTTP/1.1, under the listener's deadlines), on with {@code server.http2ClearText: true}.
 */
class Http2ClearTextTest {

  private static HttpClient.Version versionServed(int port) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.version();
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class ByDefault extends GatewayOnMock {
    @Override
    protected String database() {
      return "sqlite";
    }

    @Test
    void anUpgradeRequestIsServedOverHttp11() throws Exception {
      assertThat(versionServed(gateway.gateway().port())).isEqualTo(HttpClient.Version.HTTP_1_1);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Enabled extends GatewayOnMock {
    @Override
    protected String database() {
      return "sqlite";
    }

    @Override
    protected String serverSettings() {
      return "  http2ClearText: true\n";
    }

    @Test
    void anUpgradeRequestIsServedOverHttp2() throws Exception {
      assertThat(versionServed(gateway.gateway().port())).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void theAdminListenerStaysOnHttp11() throws Exception {
      assertThat(versionServed(gateway.gateway().adminPort()))
          .isEqualTo(HttpClient.Version.HTTP_1_1);
    }
  }
}
