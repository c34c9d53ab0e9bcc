package dev.conduit.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.PromText;
import dev.conduit.testing.RawHttp;
import dev.conduit.testing.Yaml;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The listener's deadlines, probed as a slowloris attacker and a lying client would, over raw
 * sockets: request headers that trickle in, a body shorter than its Content-Length, connections
 * that sit idle. Each must see the server close the socket (a read returns -1). The bounds are
 * small (300 ms) and the tests wait with {@link RawHttp}'s generous read limit, never asserting a
 * duration. Responses in progress, streamed or not, outlive every deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListenerTimeoutsTest extends GatewayOnMock {
  private String key;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String serverSettings() {
    return "  headersTimeoutMs: 300\n  bodyTimeoutMs: 300\n  keepAliveTimeoutMs: 300\n";
  }

  @Override
  protected String extraYaml() {
    return Yaml.alias("slow-answer", "slow-first-byte-1500");
  }

  @Override
  protected void started() throws Exception {
    key = gateway.newKey();
  }

  @Test
  void headersThatTrickleInAreCutOff() throws Exception {
    try (RawHttp socket = RawHttp.connect(gateway.gateway().port())) {
      socket.send("POST /v1/chat/completions HTTP/1.1\r\nHost: conduit\r\nX-Slow: ");
      // One header byte every 50 ms, faster than any idle timeout would notice, forever.
      AtomicBoolean open = new AtomicBoolean(true);
      Thread trickle =
          new Thread(
              () -> {
                while (open.get() && socket.sendByte('a')) {
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      trickle.start();
      try {
        assertThat(socket.awaitClosed()).as("closed by the server").isTrue();
      } finally {
        open.set(false);
        trickle.join();
      }
    }
    assertCounted("client", "headers");
  }

  @Test
  void aBodyShorterThanItsContentLengthIsCutOff() throws Exception {
    try (RawHttp socket = RawHttp.connect(gateway.gateway().port())) {
      socket.send(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: conduit\r\nAuthorization: Bearer "
              + key
              + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
              + "{\"model\":\"gpt-4o\",");
      assertThat(socket.awaitClosed()).as("closed by the server").isTrue();
    }
    assertCounted("client", "body");
  }

  @Test
  void aBodyStillOwedAfterAnEarlyAnswerIsCutOff() throws Exception {
    try (RawHttp socket = RawHttp.connect(gateway.gateway().port())) {
      // No key: answered 401 before the body is read; the rest of the body never comes.
      socket.send(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: conduit\r\n"
              + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model\":");
      assertThat(socket.readResponse().status()).isEqualTo(401);
      assertThat(socket.awaitClosed()).as("closed by the server").isTrue();
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() throws Exception {
    try (RawHttp socket = RawHttp.connect(gateway.gateway().port())) {
      socket.send("GET /health/live HTTP/1.1\r\nHost: conduit\r\n\r\n");
      assertThat(socket.readResponse().status()).isEqualTo(200);
      assertThat(socket.awaitClosed()).as("closed by the server").isTrue();
    }
    assertCounted("client", "keep_alive");
  }

  @Test
  void aConnectionThatNeverSendsIsClosed() throws Exception {
    try (RawHttp socket = RawHttp.connect(gateway.gateway().port())) {
      assertThat(socket.awaitClosed()).as("closed by the server").isTrue();
    }
  }

  @Test
  void theAdminListenerHasTheSameDeadlines() throws Exception {
    try (RawHttp idle = RawHttp.connect(gateway.gateway().adminPort());
        RawHttp lying = RawHttp.connect(gateway.gateway().adminPort())) {
      lying.send("POST /api/admin/virtual-keys HTTP/1.1\r\nHost: conduit\r\nX-Slow: a");
      assertThat(idle.awaitClosed()).as("idle connection closed").isTrue();
      assertThat(lying.awaitClosed()).as("unfinished headers closed").isTrue();
    }
    assertCounted("admin", "headers");
  }

  /** Closing for a passed deadline is counted, by listener and deadline. */
  private void assertCounted(String listener, String deadline) throws Exception {
    Eventually.await(
        listener + " " + deadline + " closes counted",
        () ->
            PromText.value(
                gateway.admin("GET", "/metrics", null).body(),
                "conduit_listener_deadline_closes_total",
                Map.of("listener", listener, "deadline", deadline)),
        value -> value.isPresent() && value.getAsDouble() >= 1);
  }

  @Test
  void requestsFollowingEachOtherOnOneConnectionAreServed() throws Exception {
    try (RawHttp socket = RawHttp.connect(gateway.gateway().port())) {
      for (int i = 0; i < 3; i++) {
        socket.send("GET /health/live HTTP/1.1\r\nHost: conduit\r\n\r\n");
        assertThat(socket.readResponse().status()).isEqualTo(200);
      }
    }
  }

  @Test
  void aStreamOutlivesEveryDeadline() throws Exception {
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder().model("gated").addUserMessage("hi").build();
    try (StreamResponse<ChatCompletionChunk> stream =
        gateway.openAi(key).chat().completions().createStreaming(params)) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      assertThat(chunks.next().choices().get(0).delta().content()).contains("Hello");
      // While the stream waits on the mock, witnesses see each deadline pass.
      witnessEveryDeadline();
      mock.openGate();
      StringBuilder rest = new StringBuilder();
      chunks.forEachRemaining(
          chunk ->
              chunk.choices().forEach(choice -> choice.delta().content().ifPresent(rest::append)));
      assertThat("Hello" + rest).isEqualTo(MockUpstream.TEXT);
    }
  }

  @Test
  void aSlowAnswerOutlivesEveryDeadline() throws Exception {
    try (RawHttp socket = RawHttp.connect(gateway.gateway().port())) {
      String body =
          "{\"model\":\"slow-answer\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      socket.send(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: conduit\r\nAuthorization: Bearer "
              + key
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n"
              + body);
      witnessEveryDeadline();
      RawHttp.Response response = socket.readResponse();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).contains(MockUpstream.TEXT);
    }
  }

  /** Returns once an idle, a header-trickling and a body-owing connection have all been closed. */
  private void witnessEveryDeadline() throws IOException {
    int port = gateway.gateway().port();
    try (RawHttp idle = RawHttp.connect(port);
        RawHttp headers = RawHttp.connect(port);
        RawHttp body = RawHttp.connect(port)) {
      headers.send("GET /health/live HTTP/1.1\r\nHost: conduit\r\nX-Slow: a");
      body.send(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: conduit\r\nContent-Length: 10\r\n\r\n{");
      assertThat(idle.awaitClosed()).isTrue();
      assertThat(headers.awaitClosed()).isTrue();
      assertThat(body.awaitClosed()).isTrue();
    }
  }
}
