package dev.conduit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prometheus (the installed {@code prometheus} binary) on a loopback port, with its own
 * configuration and data directory under {@code target/}, scraping the given targets every second
 * and evaluating the given rule files every second. Queried through its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path home;
  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, Path home, int port) {
    this.process = process;
    this.home = home;
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  /**
   * Starts Prometheus and waits until it is ready.
   *
   * @param binary the prometheus executable
   * @param targets {@code host:port} of each scraped {@code /metrics} (job {@code conduit})
   * @param ruleFiles rule files, copied into its directory
   */
  public static PrometheusServer start(Path binary, List<String> targets, List<Path> ruleFiles)
      throws Exception {
    Path home =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "prometheus")).toAbsolutePath(), "run-");
    List<String> rules = new ArrayList<>();
    for (Path file : ruleFiles) {
      rules.add(file.getFileName().toString());
    }
    StringBuilder config =
        new StringBuilder()
            .append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n")
            .append("rule_files:\n");
    for (String rule : rules) {
      config.append("  - ").append(rule).append('\n');
    }
    config
        .append("scrape_configs:\n  - job_name: conduit\n    static_configs:\n")
        .append("      - targets: [")
        .append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()))
        .append("]\n");
    for (Path file : ruleFiles) {
      Files.copy(file, home.resolve(file.getFileName()));
    }
    Files.writeString(home.resolve("prometheus.yml"), config.toString());
    int port = freePort();
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + home.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + home.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("prometheus.log").toFile())
            .start();
    PrometheusServer server = new PrometheusServer(process, home, port);
    try {
      Eventually.await(
          "Prometheus ready (log: " + home.resolve("prometheus.log") + ")",
          Duration.ofMinutes(2),
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException(
                  "Prometheus exited: " + Files.readString(home.resolve("prometheus.log")));
            }
            return server.get("/-/ready").statusCode();
          },
          status -> status == 200);
    } catch (AssertionError | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Writes a rule file for {@link #start} (a test's variant of a shipped one). */
  public static Path ruleFile(String name, String content) throws IOException {
    Path dir =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "prometheus")).toAbsolutePath(), "rules-");
    return Files.writeString(dir.resolve(name), content);
  }

  /**
   * The API's answer to an instant query: {@code status} is {@code success} or {@code error}
   * ({@code errorType}, {@code error}); {@code data.result} holds the series.
   */
  public JsonNode query(String promql) throws Exception {
    return JSON.readTree(
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body());
  }

  /** The series an instant query returns; fails on a query error. */
  public JsonNode series(String promql) throws Exception {
    JsonNode answer = query(promql);
    if (!"success".equals(answer.path("status").asText())) {
      throw new AssertionError(promql + ": " + answer);
    }
    return answer.path("data").path("result");
  }

  /** Active alerts (pending and firing). */
  public JsonNode alerts() throws Exception {
    return JSON.readTree(get("/api/v1/alerts").body()).path("data").path("alerts");
  }

  /** The rule groups as Prometheus evaluates them (/api/v1/rules): health, state, last run. */
  public JsonNode rules() throws Exception {
    return JSON.readTree(get("/api/v1/rules").body()).path("data").path("groups");
  }

  /** Scrape targets and their health. */
  public JsonNode targets() throws Exception {
    return JSON.readTree(get("/api/v1/targets").body()).path("data").path("activeTargets");
  }

  public Path home() {
    return home;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
