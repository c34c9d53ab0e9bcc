package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.PromText;
import dev.conduit.testing.RawHttp;
import dev.conduit.testing.TestGateway;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code server.maxBodyBytesInFlight} bounds the request-body bytes held across all requests: a
 * body that would go over answers 503 in OpenAI's error shape with {@code Retry-After}; the bytes
 * come back when a call is over, and when an upload is abandoned half-way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodyBytesInFlightTest extends GatewayOnMock {
  /** A chat request of exactly {@link #SIZE} bytes. */
  private static final int SIZE = 600_000;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String serverSettings() {
    // Room for one such body at a time, not two.
    return "  maxBodyBytes: 1000000\n  maxBodyBytesInFlight: 1000000\n";
  }

  @Test
  void aSecondLargeBodyWaitsItsTurnWith503AndTheBytesComeBackAfterTheFirst() throws Exception {
    String key = gateway.newKey();
    byte[] body = largeChat();
    awaitHeld(0);
    try (RawHttp first = RawHttp.connect(gateway.gateway().port())) {
      // The first upload declares its size and sends half: its bytes are held from now on.
      first.send(head(key, body.length));
      first.send(new String(body, 0, SIZE / 2, StandardCharsets.ISO_8859_1));
      awaitHeld(SIZE);

      HttpResponse<String> second =
          Eventually.await(
              "the second body to be refused while the first is held",
              () -> refusedOrNull(key, body),
              answer -> answer != null && answer.statusCode() == 503);
      assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
      JsonNode error = TestGateway.json(second.body()).path("error");
      assertThat(error.path("type").asText()).isEqualTo("service_unavailable");
      assertThat(error.path("code").asText()).isEqualTo("request_bodies_full");
      assertThat(error.path("message").asText()).isNotBlank();

      first.send(new String(body, SIZE / 2, SIZE - SIZE / 2, StandardCharsets.ISO_8859_1));
      RawHttp.Response answered = first.readResponse();
      assertThat(answered.status()).as(answered.body()).isEqualTo(200);
    }
    awaitHeld(0);
    assertThat(post(key, body).statusCode()).as("the first call's bytes are back").isEqualTo(200);
  }

  /** Waits until the gateway reports {@code bytes} of request bodies held. */
  private void awaitHeld(long bytes) throws Exception {
    Eventually.await(
        bytes + " body bytes held",
        () ->
            PromText.value(
                gateway.client("GET", "/metrics", null, null).body(),
                "conduit_request_body_in_flight_bytes",
                Map.of()),
        held -> held.isPresent() && held.getAsDouble() == bytes);
  }

  @Test
  void anUploadAbandonedHalfWayGivesItsBytesBack() throws Exception {
    String key = gateway.newKey();
    byte[] body = largeChat();
    for (int i = 0; i < 3; i++) {
      // A call's bytes come back as it is settled, just after its response went out.
      awaitHeld(0);
      try (RawHttp abandoned = RawHttp.connect(gateway.gateway().port())) {
        abandoned.send(head(key, body.length));
        abandoned.send(new String(body, 0, SIZE / 3, StandardCharsets.ISO_8859_1));
        awaitHeld(SIZE);
        Eventually.await(
            "the next large body to be refused while the abandoned upload holds its bytes",
            () -> refusedOrNull(key, body),
            answer -> answer != null && answer.statusCode() == 503);
      }
      awaitHeld(0);
      assertThat(post(key, body).statusCode())
          .as("the bytes of upload " + i + " came back once its caller hung up")
          .isEqualTo(200);
    }
  }

  /**
   * A post whose body may be refused: the server answers 503 and closes the connection before
   * reading the rest of the body, and a client still writing may see only the close (null).
   */
  private HttpResponse<String> refusedOrNull(String key, byte[] body) throws Exception {
    try {
      return post(key, body);
    } catch (IOException closedWhileWriting) {
      return null;
    }
  }

  private HttpResponse<String> post(String key, byte[] body) throws Exception {
    return gateway.client(
        "POST", "/v1/chat/completions", key, new String(body, StandardCharsets.UTF_8));
  }

  private static String head(String key, int length) {
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + key
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + length
        + "\r\n\r\n";
  }

  private static byte[] largeChat() {
    String start = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"";
    String end = "\"}]}";
    return (start + "a".repeat(SIZE - start.length() - end.length()) + end)
        .getBytes(StandardCharsets.UTF_8);
  }
}
