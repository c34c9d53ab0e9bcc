package dev.conduit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.ExternalTool;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The runbook's three scripts ({@code scripts/check-health.sh}, {@code diagnose.sh}, {@code
 * smoke-tests.sh}) run against a local gateway with the simulated provider, URLs and master key
 * from the environment; their kubectl parts say they were skipped without a cluster. All scripts
 * pass shellcheck.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsScriptsTest {
  private static final Path SCRIPTS = Path.of("scripts");

  private TestDatabases.TestDatabase db;
  private TestGateway gateway;

  @BeforeAll
  void start() throws Exception {
    ExternalTool.require("curl", "apt-get install curl");
    db = TestDatabases.sqlite();
    gateway =
        TestGateway.start(
            """
            server: { eventLoops: 1 }
            database: { url: "%s" }
            routing: { healthCheckIntervalMs: 0 }
            providers:
              - { name: sim, type: simulated }
              - { name: broken, type: openai, baseUrl: "http://127.0.0.1:1/v1", apiKey: sk-broken-0123456789 }
            models:
              - alias: demo
                deployments: [ { provider: sim, model: sim-1 } ]
              - alias: embed
                deployments: [ { provider: sim, model: sim-embed } ]
              - alias: broken-model
                retries: 0
                deployments: [ { provider: broken, model: gpt-4o } ]
            """
                .formatted(db.url()));
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    db.close();
  }

  /** The scripts' environment: this gateway, and no Kubernetes context whatever the machine has. */
  private Map<String, String> env(String model) {
    Map<String, String> env = new HashMap<>();
    env.put("CONDUIT_API_URL", gateway.clientUrl(""));
    env.put("CONDUIT_ADMIN_URL", gateway.adminUrl(""));
    env.put("MASTER_KEY", TestGateway.MASTER_KEY);
    env.put("CONDUIT_SMOKE_MODEL", model);
    env.put("CONDUIT_SMOKE_EMBEDDING_MODEL", "embed");
    env.put("KUBECONFIG", "/nonexistent/kubeconfig");
    return env;
  }

  private ExternalTool.Result script(String name, Map<String, String> env) throws Exception {
    return ExternalTool.run(null, env, null, "bash", SCRIPTS.resolve(name).toString());
  }

  @Test
  void smokeTestsPassEveryCheckOnAWorkingGateway() throws Exception {
    ExternalTool.Result result = script("smoke-tests.sh", env("demo"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("ok - readiness")
        .contains("ok - chat completion (demo)")
        .contains("ok - streamed chat completion (demo)")
        .contains("ok - embeddings (embed)")
        .contains("ok - admin API (providers/health)")
        .contains("ok - metrics")
        .contains("0 failed")
        .doesNotContain("FAIL");
    // The key it made for the run was revoked after it.
    JsonNode keys = TestGateway.json(gateway.admin("GET", "/api/admin/virtual-keys", null).body());
    List<Boolean> smokeKeysRevoked = new java.util.ArrayList<>();
    for (JsonNode key : keys.path("data")) {
      if (key.path("name").asText().equals("smoke-tests")) {
        smokeKeysRevoked.add(key.path("revoked").asBoolean());
      }
    }
    assertThat(smokeKeysRevoked).isNotEmpty().doesNotContain(false);
  }

  @Test
  void smokeTestsFailWhenAModelCallFails() throws Exception {
    ExternalTool.Result result = script("smoke-tests.sh", env("broken-model"));
    assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
    assertThat(result.output())
        .contains("FAIL - chat completion (broken-model)")
        .contains("FAIL - streamed chat completion (broken-model)")
        .contains("ok - readiness")
        .contains("2 failed");
  }

  @Test
  void smokeTestsFailWhenTheGatewayIsUnreachable() throws Exception {
    Map<String, String> env = env("demo");
    env.put("CONDUIT_API_URL", "http://127.0.0.1:1");
    env.put("CONDUIT_ADMIN_URL", "http://127.0.0.1:1");
    ExternalTool.Result result = script("smoke-tests.sh", env);
    assertThat(result.exitCode()).as(result.output()).isNotZero();
    assertThat(result.output()).contains("FAIL - readiness");
  }

  @Test
  void checkHealthShowsReadinessAndProviderHealthAndSkipsTheCluster() throws Exception {
    ExternalTool.Result result = script("check-health.sh", env("demo"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("=== System Health Check ===")
        .contains("--- API Health ---")
        .contains("\"status\"")
        .contains("--- Provider Health ---")
        .contains("\"name\": \"sim\"")
        .contains("--- Database Status ---")
        .contains("--- Pod Status ---");
    assertThat(result.output().split("skipped: no cluster", -1)).hasSize(4);

    Map<String, String> wrongKey = env("demo");
    wrongKey.put("MASTER_KEY", "not-the-key");
    assertThat(script("check-health.sh", wrongKey).exitCode()).isEqualTo(1);
  }

  @Test
  void diagnoseShowsTheRequestMetricsAndSkipsTheCluster() throws Exception {
    String key = gateway.newKey();
    gateway.client(
        "POST",
        "/v1/chat/completions",
        key,
        "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    ExternalTool.Result result = script("diagnose.sh", env("demo"));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("=== Recent Errors ===")
        .contains("=== Current Metrics ===")
        .contains("conduit_llm_requests_total{model=\"demo\",provider=\"sim\",status=\"success\"}")
        .contains("conduit_llm_active_requests")
        .contains("=== Resource Usage ===");
    assertThat(result.output().split("skipped: no cluster", -1)).hasSize(3);
  }

  @Test
  void everyScriptPassesShellcheck() throws Exception {
    Path shellcheck = ExternalTool.require("shellcheck", "apt-get install shellcheck");
    List<String> command = new java.util.ArrayList<>(List.of(shellcheck.toString(), "-x"));
    try (Stream<Path> files = Files.list(SCRIPTS)) {
      files
          .filter(f -> f.toString().endsWith(".sh"))
          .sorted()
          .forEach(f -> command.add(f.toString()));
    }
    command.add(".ci/run");
    assertThat(command).hasSizeGreaterThanOrEqualTo(7);
    ExternalTool.Result result = ExternalTool.run(null, command.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }
}
