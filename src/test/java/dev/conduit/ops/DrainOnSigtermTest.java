package dev.conduit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.Main;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conduit serve} as its own process, stopped with SIGTERM while 100 streams are in flight:
 * readiness answers 503 at once while new connections are still served for {@code drain.delayMs};
 * then the listener stops accepting, the streams still run to their {@code [DONE]}, every one has
 * its request-log row in the database after the process is gone, and the process exits 0.
 */
class DrainOnSigtermTest {
  private static final int STREAMS = 100;
  private static final Duration PROCESS = Duration.ofMinutes(2);

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private MockUpstream mock;
  private TestDatabases.TestDatabase db;
  private Process conduit;
  private int port;
  private int adminPort;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    mock = new MockUpstream();
    db = TestDatabases.sqlite();
    port = freePort();
    adminPort = freePort();
    Path config = dir.resolve("conduit.yaml");
    Files.writeString(
        config,
        Yaml.withMock(
                mock,
                db.url(),
                "  host: 127.0.0.1\n  port: " + port + "\n  adminPort: " + adminPort + "\n")
            + """
            # The delay is a window the test must act in (readiness, a new call): generous on a
            # loaded machine.
            drain:
              delayMs: 15000
              timeoutMs: 120000
            """);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of("serve", "--config", config.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("conduit.log").toFile());
    builder.environment().put("CONDUIT_MASTER_KEY", TestGateway.MASTER_KEY);
    conduit = builder.start();
    Eventually.await(
        "the gateway process to serve",
        PROCESS,
        () -> get("/health/ready"),
        status -> status == 200);
  }

  @AfterEach
  void stop() throws Exception {
    if (conduit.isAlive()) {
      conduit.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    mock.close();
    db.close();
  }

  @Test
  void sigtermLetsEveryStreamFinishWritesEveryRowAndExitsZero() throws Exception {
    String key = createKey();
    List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      streams.add(
          http.sendAsync(
              chat(
                  key,
                  "{\"model\":\"gated\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                      + "\"content\":\"stream "
                      + i
                      + "\"}]}"),
              HttpResponse.BodyHandlers.ofString()));
    }
    // Each stream has its first chunk; the rest waits for the mock's gate.
    // A fresh JVM on a busy machine: give it the longer limit.
    Eventually.await(
        "all streams to reach the upstream", PROCESS, () -> mock.calls("gated"), n -> n == STREAMS);

    conduit.destroy(); // SIGTERM

    Eventually.await(
        "readiness to answer 503", () -> get("/health/ready"), status -> status == 503);
    HttpResponse<String> duringDelay =
        http.send(
            chat(
                key,
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
            HttpResponse.BodyHandlers.ofString());
    assertThat(duringDelay.statusCode())
        .as("a new connection during drain.delayMs is still served")
        .isEqualTo(200);
    Eventually.await(
        "the listener to stop accepting", PROCESS, this::refusesConnections, refused -> refused);
    assertThat(conduit.isAlive()).as("the process waits for its streams").isTrue();

    mock.openGate();
    for (CompletableFuture<HttpResponse<String>> stream : streams) {
      HttpResponse<String> answer = stream.get(2, TimeUnit.MINUTES);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
    }
    assertThat(conduit.waitFor(PROCESS.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(conduit.exitValue()).isZero();

    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM request_logs WHERE model = 'gated' AND stream = 1"
                    + " AND status_code = 200 AND error_type IS NULL")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(STREAMS);
    }
    try (Connection connection = db.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT count(*) FROM request_logs WHERE model = 'gpt-4o'")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(1);
    }
  }

  private HttpRequest chat(String key, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .timeout(Duration.ofMinutes(3))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private int get(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private boolean refusesConnections() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    }
  }

  private String createKey() throws Exception {
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + adminPort + "/api/admin/virtual-keys"))
                .timeout(Duration.ofSeconds(30))
                .header("X-Master-Key", TestGateway.MASTER_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"drain\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return TestGateway.json(created.body()).path("key").asText();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
