package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.PromText;
import dev.conduit.testing.Runbook;
import dev.conduit.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operations runbook works as written: every {@code curl} in it that targets the gateway's
 * health, metrics or admin API is run, in the runbook's order, with its method, path, headers and
 * body (host and port replaced), and its answer is read as the runbook reads it ({@code | jq}:
 * JSON; {@code | grep}: the text). The Prometheus queries it makes must find Conduit's metric names
 * in {@code /metrics}.
 *
 * <p>The runbook is read from the shared reference ({@code ../shared/reference/runbooks.md}); a
 * copy is kept in the test resources so the test runs without it, and must match it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunbookTest extends GatewayOnMock {
  private static final Pattern PROMETHEUS_METRIC =
      Pattern.compile(
          "query(?:_range)?\\?query=(?:[a-z]+\\()?([a-zA-Z_:][a-zA-Z0-9_:]*)" + "(\\{[^}]*})?");

  private String runbook;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String yaml() {
    return """
        server:
          eventLoops: 1
        database:
          url: "%1$s"
        routing:
          healthCheckIntervalMs: 0
        providers:
          - name: openai
            type: openai
            baseUrl: %2$s
            apiKey: sk-runbook-openai-0123456789
          - name: anthropic-compatible
            type: openai
            baseUrl: %2$s
            apiKey: sk-runbook-other-0123456789
        models:
          - alias: gpt-4
            deployments:
              - { provider: openai, model: gpt-4 }
          - alias: claude-3-opus
            deployments:
              - { provider: anthropic-compatible, model: claude-3-opus }
          - alias: broken
            retries: 0
            deployments:
              - { provider: openai, model: fail-500 }
        """
        .formatted(db.url(), mock.baseUrl());
  }

  @Override
  protected void started() throws Exception {
    runbook = Runbook.text();
    // Traffic first, so that the metrics the runbook queries have series.
    String key = gateway.newKey();
    gateway.client(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    gateway.client(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\"broken\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void theTestCopyOfTheRunbookIsTheSharedOne() throws Exception {
    Path shared = Path.of("..", "shared", "reference", "runbooks.md");
    Assumptions.assumeTrue(Files.exists(shared), "the shared reference is not beside this clone");
    assertThat(Files.readString(shared)).isEqualTo(runbook);
  }

  @Test
  void everyGatewayCallInTheRunbookWorksAsWritten() throws Exception {
    List<Curl> calls = new ArrayList<>();
    for (String command : Runbook.commands(runbook)) {
      Curl curl = Curl.parse(command);
      if (curl != null && curl.targetsGateway()) {
        calls.add(curl);
      }
    }
    assertThat(calls)
        .extracting(Curl::describe)
        .contains(
            "GET api /health/ready",
            "GET admin /api/admin/providers/health",
            "PATCH admin /api/admin/providers/openai/disable",
            "POST admin /api/admin/providers/health/check",
            "POST admin /api/admin/providers/openai/reset-circuit",
            "POST admin /api/admin/cache/warm",
            "POST admin /api/admin/providers/config",
            "GET api /metrics");

    for (Curl call : calls) {
      HttpResponse<String> response = run(call);
      assertThat(response.statusCode())
          .as(call.describe() + ": " + response.body())
          .isBetween(200, 299);
      if (call.path().equals("/metrics")) {
        for (String pattern : call.grepFor()) {
          assertThat(response.body())
              .as(call.describe() + " | grep " + pattern)
              .containsPattern(pattern.replace("dotnet_gc", "jvm_gc"));
        }
      } else {
        JsonNode json = TestGateway.json(response.body());
        assertThat(json.isObject()).as(call.describe() + " answers JSON").isTrue();
        check(call, json);
      }
    }
  }

  /** What the runbook's reader looks for in each answer. */
  private void check(Curl call, JsonNode json) {
    switch (call.path()) {
      case "/health/ready" -> assertThat(json.path("status").asText()).isNotEmpty();
      case "/api/admin/providers/health", "/api/admin/providers/health/check" ->
          assertThat(json.path("data"))
              .extracting(entry -> entry.path("name").asText())
              .contains("openai");
      case "/api/admin/providers/openai/disable" -> {
        assertThat(json.path("status").asText()).isEqualTo("disabled");
      }
      case "/api/admin/cache/warm" -> {
        assertThat(json.path("data")).hasSize(2);
        assertThat(json.path("data").get(0).path("model").asText()).isEqualTo("gpt-4");
        assertThat(json.path("data").get(1).path("status").asText()).isEqualTo("warmed");
      }
      case "/api/admin/providers/config" ->
          assertThat(json.path("regionalEndpoints").path("eu-west").asText())
              .isEqualTo("https://eu.api.openai.com");
      default -> {}
    }
  }

  @Test
  void theMetricsTheRunbookQueriesExist() throws Exception {
    String metrics = gateway.client("GET", "/metrics", null, null).body();
    Matcher matcher = PROMETHEUS_METRIC.matcher(runbook);
    List<String> checked = new ArrayList<>();
    while (matcher.find()) {
      String name = matcher.group(1);
      if (!name.startsWith("conduit_")) {
        continue; // container_memory_usage_bytes comes from Kubernetes, not the gateway
      }
      Map<String, String> labels = new java.util.HashMap<>();
      if (matcher.group(2) != null) {
        for (String label : matcher.group(2).replaceAll("[{}]", "").split(",")) {
          String[] parts = label.split("=");
          labels.put(parts[0].trim(), parts[1].trim().replaceAll("['\"]", ""));
        }
      }
      if (PromText.value(metrics, name, labels).isEmpty()) {
        // conduit_provider_response_time_seconds is a histogram: its family has no bare-name
        // sample, and an exposition cannot hold a second family of that name. Prometheus records
        // the bare series from the histogram's buckets with the shipped recording rules.
        assertThat(PromText.value(metrics, name + "_bucket", labels))
            .as(name + labels + " is a histogram")
            .isPresent();
        assertThat(recordedFromItsBuckets())
            .as(name + " is recorded by deploy/kubernetes/base/monitoring/recording-rules.yaml")
            .contains(name);
      }
      checked.add(name);
    }
    assertThat(checked)
        .contains(
            "conduit_llm_requests_total",
            "conduit_provider_health",
            "conduit_provider_response_time_seconds",
            "conduit_cache_hits_total");
    assertThat(PromText.hasSeries(metrics, "conduit_llm_active_requests")).isTrue();
  }

  /** Series the shipped recording rules record from a histogram's {@code _bucket} series. */
  private static List<String> recordedFromItsBuckets() throws Exception {
    JsonNode groups =
        new ObjectMapper(new YAMLFactory())
            .readTree(
                Path.of("deploy", "kubernetes", "base", "monitoring", "recording-rules.yaml")
                    .toFile())
            .path("groups");
    List<String> recorded = new ArrayList<>();
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        String name = rule.path("record").asText();
        if (rule.path("expr").asText().contains(name + "_bucket")) {
          recorded.add(name);
        }
      }
    }
    return recorded;
  }

  private HttpResponse<String> run(Curl call) throws Exception {
    int port = call.admin() ? gateway.gateway().adminPort() : gateway.gateway().port();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + call.path() + call.query()));
    for (String[] header : call.headers()) {
      request.header(header[0], header[1].replace("$MASTER_KEY", TestGateway.MASTER_KEY));
    }
    request.method(
        call.method(),
        call.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(call.body()));
    return java.net.http.HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One curl call as the runbook writes it, and the pipe that reads its answer. */
  private static final Pattern URL = Pattern.compile("https?://([^/?]+)(/[^?]*)?(\\?.*)?");

  record Curl(
      String method,
      String host,
      String path,
      String query,
      List<String[]> headers,
      String body,
      List<String> grepFor) {

    boolean admin() {
      return host.startsWith("admin.");
    }

    boolean targetsGateway() {
      boolean gatewayHost =
          host.equals("api.conduit.example.com")
              || host.equals("admin.conduit.example.com")
              || host.equals("localhost:8080");
      return gatewayHost
          && (path.startsWith("/health")
              || path.startsWith("/api/admin")
              || path.equals("/metrics"));
    }

    String describe() {
      return method + " " + (admin() ? "admin" : "api") + " " + path;
    }

    static Curl parse(String command) {
      int start = command.indexOf("curl ");
      if (start < 0) {
        return null;
      }
      List<String> tokens = tokens(command.substring(start + 5));
      String method = null;
      String url = null;
      String body = null;
      List<String[]> headers = new ArrayList<>();
      List<String> grep = new ArrayList<>();
      for (int i = 0; i < tokens.size(); i++) {
        String token = tokens.get(i);
        switch (token) {
          case "-X" -> method = tokens.get(++i);
          case "-H" -> {
            String header = tokens.get(++i);
            int colon = header.indexOf(':');
            headers.add(
                new String[] {
                  header.substring(0, colon).trim(), header.substring(colon + 1).trim()
                });
          }
          case "-d" -> body = tokens.get(++i);
          case "-w", "-o" -> i++;
          case "grep" -> {
            String pattern = tokens.get(i + 1).equals("-E") ? tokens.get(i + 2) : tokens.get(i + 1);
            grep.add(pattern);
          }
          default -> {
            if (url == null && token.startsWith("http")) {
              url = token;
            }
          }
        }
      }
      if (url == null) {
        return null;
      }
      Matcher parts = URL.matcher(url);
      if (!parts.matches()) {
        return null;
      }
      return new Curl(
          method == null ? (body == null ? "GET" : "POST") : method,
          parts.group(1),
          parts.group(2) == null ? "/" : parts.group(2),
          parts.group(3) == null ? "" : parts.group(3),
          headers,
          body,
          grep);
    }

    /** Splits like a shell: quotes group, and are removed. */
    private static List<String> tokens(String text) {
      List<String> tokens = new ArrayList<>();
      StringBuilder token = new StringBuilder();
      char quote = 0;
      boolean any = false;
      for (char c : text.toCharArray()) {
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          } else {
            token.append(c);
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
          any = true;
        } else if (Character.isWhitespace(c) || c == '|') {
          if (token.length() > 0 || any) {
            tokens.add(token.toString());
            token.setLength(0);
            any = false;
          }
        } else {
          token.append(c);
        }
      }
      if (token.length() > 0 || any) {
        tokens.add(token.toString());
      }
      return tokens;
    }
  }
}
