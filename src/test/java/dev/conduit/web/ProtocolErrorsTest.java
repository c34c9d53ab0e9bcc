package dev.conduit.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.RawHttp;
import dev.conduit.testing.TestGateway;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the HTTP codec refuses before any route sees them, sent over raw sockets to both
 * listeners: each is answered with its status and an OpenAI-shaped JSON error, then the connection
 * is closed (after a framing error the rest of the bytes cannot be trusted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolErrorsTest extends GatewayOnMock {

  @Override
  protected String database() {
    return "sqlite";
  }

  static Stream<Arguments> refused() {
    String post = "POST /v1/chat/completions HTTP/1.1\r\nHost: conduit\r\n";
    return Stream.of(
        Arguments.of(
            "a request line over the limit",
            "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: conduit\r\n\r\n",
            414),
        Arguments.of(
            "headers over the limit",
            "GET /health/live HTTP/1.1\r\nHost: conduit\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n",
            431),
        Arguments.of("a request line that is not HTTP", "GARBAGE\r\n\r\n", 400),
        Arguments.of(
            "an HTTP/2.0 request line", "GET /health/live HTTP/2.0\r\nHost: conduit\r\n\r\n", 505),
        Arguments.of(
            "an HTTP/1.2 request line", "GET /health/live HTTP/1.2\r\nHost: conduit\r\n\r\n", 505),
        Arguments.of(
            "Content-Length with chunked Transfer-Encoding",
            post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "a Transfer-Encoding other than chunked",
            post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "an unknown Transfer-Encoding with Content-Length",
            post + "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\nhello",
            400));
  }

  @ParameterizedTest(name = "client port: {0}")
  @MethodSource("refused")
  void theClientListenerAnswersWithAJsonErrorAndCloses(String what, String request, int status)
      throws Exception {
    answeredAndClosed(gateway.gateway().port(), request, status);
  }

  @ParameterizedTest(name = "admin port: {0}")
  @MethodSource("refused")
  void theAdminListenerAnswersWithAJsonErrorAndCloses(String what, String request, int status)
      throws Exception {
    answeredAndClosed(gateway.gateway().adminPort(), request, status);
  }

  private static void answeredAndClosed(int port, String request, int status) throws Exception {
    try (RawHttp socket = RawHttp.connect(port)) {
      RawHttp.Response response = socket.send(request).readResponse();
      assertThat(response.status()).isEqualTo(status);
      assertThat(response.header("Content-Type")).startsWith("application/json");
      JsonNode error = TestGateway.json(response.body()).path("error");
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.path("message").asText()).isNotBlank();
      assertThat(error.path("code").asText()).isNotBlank();
      assertThat(socket.awaitClosed()).as("closed by the server").isTrue();
    }
  }
}
