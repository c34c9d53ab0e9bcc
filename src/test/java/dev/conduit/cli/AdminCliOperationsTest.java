package dev.conduit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conduit admin}: provider operations, cache calls, completion, and the exit codes scripts
 * rely on (1 for an API error, 2 for a usage error or a missing master key, 3 when nothing
 * answers).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminCliOperationsTest extends GatewayOnMock {
  @Override
  protected String database() {
    return "sqlite";
  }

  private CliRun admin(String... args) {
    return CliRun.run(CliRun.envFor(gateway), args);
  }

  private CliRun ok(String... args) {
    CliRun run = admin(args);
    assertThat(run.exit()).as(run.toString()).isZero();
    return run;
  }

  @Test
  void providersAreListedCheckedDisabledEnabledResetAndConfigured() throws Exception {
    assertThat(ok("providers", "list").out()).contains("NAME").contains("mock").contains("****");
    assertThat(ok("providers", "list", "-o", "json").json().path("data").findValuesAsText("name"))
        .contains("mock", "dead");
    assertThat(ok("providers", "show", "mock", "-o", "json").json().path("type").asText())
        .isEqualTo("openai");

    CliRun health = ok("providers", "health");
    assertThat(health.out()).contains("STATUS").contains("mock").contains("dead");
    assertThat(ok("providers", "health", "-o", "json").json().path("data").findValuesAsText("name"))
        .contains("mock");

    JsonNode checked = ok("providers", "check", "-o", "json").json();
    assertThat(checked.path("checks").findValuesAsText("provider")).contains("mock", "dead");
    assertThat(ok("providers", "check").out()).contains("CHECKED").contains("dead");

    JsonNode disabled = ok("providers", "disable", "mock", "-o", "json").json();
    assertThat(disabled.path("status").asText()).isEqualTo("disabled");
    assertThat(ok("providers", "enable", "mock", "-o", "json").json().path("enabled").asBoolean())
        .isTrue();
    assertThat(ok("providers", "reset-circuit", "mock").out()).contains("name:").contains("mock");

    JsonNode configured =
        ok(
                "providers",
                "config",
                "mock",
                "--endpoint",
                "eu-west=https://eu.example.com/v1",
                "-o",
                "json")
            .json();
    assertThat(configured.path("regionalEndpoints").path("eu-west").asText())
        .isEqualTo("https://eu.example.com/v1");
    assertThat(
            ok("providers", "config", "mock", "--clear", "-o", "json")
                .json()
                .path("regionalEndpoints")
                .size())
        .isZero();
    assertThat(admin("providers", "config", "mock").exit()).isEqualTo(2);
    CliRun badUrl = admin("providers", "config", "mock", "--endpoint", "eu=ftp://x");
    assertThat(badUrl.exit()).isEqualTo(1);
    assertThat(badUrl.err()).contains("HTTP 400");

    CliRun unknown = admin("providers", "disable", "no-such-provider");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("HTTP 404 (not_found)").contains("no-such-provider");
  }

  @Test
  void cacheWarmFlushAndStats() throws Exception {
    JsonNode warmed = ok("cache", "warm", "gpt-4o", "nope", "-o", "json").json();
    assertThat(warmed.path("data").findValuesAsText("model")).containsExactly("gpt-4o", "nope");
    assertThat(warmed.path("data").get(1).path("status").asText()).isEqualTo("not_found");
    assertThat(ok("cache", "warm", "gpt-4o").out()).contains("MODEL").contains("mock/gpt-4o");

    // The response cache's admin calls come with the response cache; without them the API's
    // 404 is printed and the exit code says so.
    for (String[] args :
        new String[][] {{"cache", "flush", "-o", "json"}, {"cache", "stats", "-o", "json"}}) {
      CliRun run = admin(args);
      if (run.exit() == 0) {
        assertThat(run.json().isObject()).isTrue();
      } else {
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains("HTTP 404 (not_found)").contains("/api/admin/cache");
      }
    }
  }

  @Test
  void completionPrintsABashScriptForTheSubcommands(@TempDir Path dir) throws Exception {
    CliRun run = CliRun.run(Map.of(), "completion");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("complete -F").contains("keys").contains("reset-circuit");

    Path script = dir.resolve("conduit.bash");
    Files.writeString(script, run.out());
    Process bash =
        new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    String said = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor()).as("bash -n: " + said).isZero();
  }

  @Test
  void theMasterKeyComesFromTheEnvironmentOrAFileAndIsNeverPrinted(@TempDir Path dir)
      throws Exception {
    Map<String, String> noKey = Map.of("CONDUIT_ADMIN_URL", gateway.adminUrl(""));
    CliRun missing = CliRun.run(noKey, "keys", "list");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("no master key").contains("CONDUIT_MASTER_KEY");

    Path file = dir.resolve("master.key");
    Files.writeString(file, TestGateway.MASTER_KEY + "\n");
    CliRun fromFile =
        CliRun.run(noKey, "keys", "list", "--master-key-file", file.toString(), "-o", "json");
    assertThat(fromFile.exit()).as(fromFile.toString()).isZero();
    assertThat(fromFile.json().has("data")).isTrue();

    CliRun noFile =
        CliRun.run(noKey, "keys", "list", "--master-key-file", dir.resolve("nope").toString());
    assertThat(noFile.exit()).isEqualTo(2);

    String wrongKey = "condt_admin_wrong_key_that_must_not_be_echoed";
    CliRun wrong =
        CliRun.run(
            Map.of("CONDUIT_ADMIN_URL", gateway.adminUrl(""), "CONDUIT_MASTER_KEY", wrongKey),
            "keys",
            "list");
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("HTTP 401").doesNotContain(wrongKey);
    assertThat(wrong.out()).isEmpty();

    CliRun flag = admin("keys", "list", "--master-key", TestGateway.MASTER_KEY);
    assertThat(flag.exit()).as("there is no plain --master-key option").isEqualTo(2);
    assertThat(flag.err()).contains("CONDUIT_MASTER_KEY").doesNotContain(TestGateway.MASTER_KEY);
    assertThat(flag.out()).doesNotContain(TestGateway.MASTER_KEY);
  }

  @Test
  void exitCodesTellUsageErrorsFromApiErrorsFromNoAnswer() {
    CliRun refused =
        CliRun.run(
            Map.of("CONDUIT_MASTER_KEY", TestGateway.MASTER_KEY),
            "--url",
            "http://127.0.0.1:1",
            "keys",
            "list");
    assertThat(refused.exit()).isEqualTo(3);
    assertThat(refused.err()).contains("cannot connect to http://127.0.0.1:1: connection refused");
    assertThat(refused.err()).doesNotContain(TestGateway.MASTER_KEY);

    CliRun urlAfterSubcommand =
        CliRun.run(
            Map.of("CONDUIT_MASTER_KEY", TestGateway.MASTER_KEY),
            "keys",
            "list",
            "--url",
            gateway.adminUrl(""));
    assertThat(urlAfterSubcommand.exit()).as(urlAfterSubcommand.toString()).isZero();

    assertThat(admin("keys", "frobnicate").exit()).isEqualTo(2);
    assertThat(admin("keys", "show").exit()).as("missing ID").isEqualTo(2);
    assertThat(admin("keys", "list", "-o", "yaml").exit()).isEqualTo(2);
    CliRun badUrl =
        CliRun.run(Map.of("CONDUIT_MASTER_KEY", "k"), "--url", "localhost", "keys", "list");
    assertThat(badUrl.exit()).isEqualTo(2);
    assertThat(badUrl.err()).contains("invalid admin URL");
    assertThat(admin("--help").exit()).isZero();
  }
}
