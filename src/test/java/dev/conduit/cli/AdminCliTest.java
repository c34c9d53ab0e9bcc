package dev.conduit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code conduit admin} against a running gateway: keys, groups, model mappings, prices, logs and
 * spend, each as a table and with {@code -o json} parsed back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminCliTest extends GatewayOnMock {
  @Override
  protected String database() {
    return "postgresql";
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
  void keysAreCreatedListedShownUpdatedAndRevoked() throws Exception {
    JsonNode created =
        ok(
                "keys",
                "create",
                "--name",
                "cli-key",
                "--models",
                "gpt-4o,gpt-*",
                "--rpm",
                "10",
                "-o",
                "json")
            .json();
    String id = created.path("id").asText();
    assertThat(created.path("key").asText()).startsWith("condt_");
    assertThat(created.path("allowedModels").toString()).isEqualTo("[\"gpt-4o\",\"gpt-*\"]");
    assertThat(created.path("rpm").asLong()).isEqualTo(10);

    CliRun table = ok("keys", "create", "--name", "table-key");
    assertThat(table.out()).contains("key:").contains("condt_").contains("shown this once");

    CliRun listed = ok("keys", "list");
    assertThat(listed.out().lines().findFirst().orElseThrow())
        .startsWith("ID")
        .contains("NAME")
        .contains("SPEND");
    assertThat(listed.out())
        .contains(id)
        .contains("cli-key")
        .doesNotContain(created.path("key").asText());
    JsonNode list = ok("keys", "list", "-o", "json").json();
    assertThat(list.path("data").findValuesAsText("id")).contains(id);

    assertThat(ok("keys", "show", id).out()).contains("name:").contains("cli-key");

    JsonNode updated =
        ok(
                "keys",
                "update",
                id,
                "--name",
                "renamed",
                "--max-budget",
                "5.25",
                "--rpm",
                "none",
                "--models",
                "none",
                "--enabled",
                "false",
                "-o",
                "json")
            .json();
    assertThat(updated.path("name").asText()).isEqualTo("renamed");
    assertThat(updated.path("maxBudget").decimalValue()).isEqualByComparingTo("5.25");
    assertThat(updated.hasNonNull("rpm")).isFalse();
    assertThat(updated.path("allowedModels").size()).as("every model allowed").isZero();
    assertThat(updated.path("enabled").asBoolean()).isFalse();

    CliRun nothing = admin("keys", "update", id);
    assertThat(nothing.exit()).isEqualTo(2);
    assertThat(nothing.err()).contains("nothing to change");

    CliRun badBudget = admin("keys", "update", id, "--max-budget", "lots");
    assertThat(badBudget.exit()).isEqualTo(2);
    assertThat(badBudget.err()).contains("--max-budget").contains("number");

    CliRun refused = admin("keys", "update", id, "--max-budget", "-1");
    assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err()).contains("HTTP 400").contains("maxBudget");

    assertThat(ok("keys", "revoke", id, "-o", "json").json().path("revoked").asBoolean()).isTrue();

    CliRun missing = admin("keys", "show", "vk_does_not_exist");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).startsWith("conduit admin: HTTP 404 (not_found):");
    assertThat(missing.out()).isEmpty();
  }

  @Test
  void groupsAreCreatedAdjustedAndListedWithTheirTransactions() throws Exception {
    JsonNode group =
        ok("groups", "create", "--name", "team-a", "--balance", "10", "-o", "json").json();
    String id = group.path("id").asText();
    assertThat(group.path("balance").decimalValue()).isEqualByComparingTo("10");

    CliRun adjusted = ok("groups", "adjust", id, "--amount", "2.5", "--reason", "top-up");
    assertThat(adjusted.out()).contains("team-a").contains("12.5");
    JsonNode debit =
        ok("groups", "adjust", id, "--amount", "-0.5", "--reason", "fix", "-o", "json").json();
    assertThat(debit.path("group").path("balance").decimalValue()).isEqualByComparingTo("12");

    assertThat(ok("groups", "list").out()).contains(id).contains("team-a").contains("BALANCE");
    assertThat(ok("groups", "list", "-o", "json").json().path("data").findValuesAsText("id"))
        .contains(id);
    assertThat(ok("groups", "show", id, "-o", "json").json().path("name").asText())
        .isEqualTo("team-a");

    JsonNode transactions = ok("groups", "transactions", id, "-o", "json").json();
    assertThat(transactions.path("data").findValuesAsText("reason")).contains("top-up", "fix");
    CliRun page = ok("groups", "transactions", id, "--limit", "1");
    assertThat(page.out()).contains("KIND").contains("adjustment").contains("(more: --cursor ");

    assertThat(
            ok("groups", "rename", id, "--name", "team-b", "-o", "json")
                .json()
                .path("name")
                .asText())
        .isEqualTo("team-b");
    assertThat(ok("groups", "delete", id, "-o", "json").json().path("deleted").asBoolean())
        .isTrue();

    CliRun zero = admin("groups", "adjust", "kg_unknown", "--amount", "1", "--reason", "x");
    assertThat(zero.exit()).isEqualTo(1);
    assertThat(zero.err()).contains("HTTP 404");
  }

  @Test
  void modelMappingsAreListedAndShown() throws Exception {
    CliRun table = ok("models", "list");
    assertThat(table.out()).contains("ALIAS").contains("gpt-4o").contains("mock/gpt-4o");
    assertThat(ok("models", "list", "-o", "json").json().path("data").findValuesAsText("alias"))
        .contains("gpt-4o", "fail-503");
    JsonNode one = ok("models", "show", "gpt-4o", "-o", "json").json();
    assertThat(one.path("deployments").get(0).path("provider").asText()).isEqualTo("mock");
    assertThat(admin("models", "show", "no-such-alias").exit()).isEqualTo(1);
  }

  @Test
  void pricesAreExportedAndImportedAsJsonAndCsv(@TempDir Path dir) throws Exception {
    gateway.price("mock", "cli-model", "1.5", "2");
    Path json = dir.resolve("prices.json");
    assertThat(ok("costs", "export", "--file", json.toString()).out()).contains("Wrote");
    JsonNode exported = TestGateway.json(Files.readString(json));
    assertThat(exported.path("data").findValuesAsText("model")).contains("cli-model");

    JsonNode imported = ok("costs", "import", json.toString(), "-o", "json").json();
    assertThat(imported.path("updated").asInt()).isGreaterThanOrEqualTo(1);

    Path csv = dir.resolve("more.csv");
    Files.writeString(
        csv, "provider,model,inputPerMillion,outputPerMillion\nmock,csv-model,0.25,0.5\n");
    assertThat(ok("costs", "import", csv.toString()).out()).contains("1 created");
    CliRun listed = ok("costs", "list", "--model", "csv-model");
    assertThat(listed.out()).contains("csv-model").contains("0.25");
    assertThat(ok("costs", "export", "--format", "csv").out())
        .startsWith("provider,model,")
        .contains("csv-model");

    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "provider,model,inputPerMillion\nmock,bad-model,-3\n");
    CliRun refused = admin("costs", "import", bad.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("HTTP 400");
    CliRun noFile = admin("costs", "import", dir.resolve("absent.json").toString());
    assertThat(noFile.exit()).isEqualTo(2);
  }

  @Test
  void logsTailFollowPrintsNewRowsUntilInterrupted() throws Exception {
    JsonNode created = gateway.createKey("{\"name\":\"followed\"}");
    String key = created.path("key").asText();
    String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = AdminCommand.commandLine(CliRun.envFor(gateway));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    AtomicInteger exit = new AtomicInteger(-1);
    String[] args = {
      "logs",
      "tail",
      "--follow",
      "--interval-ms",
      "100",
      "--key",
      created.path("id").asText(),
      "-o",
      "json"
    };
    Thread follower = new Thread(() -> exit.set(line.execute(args)), "cli-follow");
    follower.start();
    try {
      for (int calls = 1; calls <= 2; calls++) {
        assertThat(gateway.client("POST", "/v1/chat/completions", key, chat).statusCode())
            .isEqualTo(200);
        int expected = calls;
        Eventually.await(
            "row " + calls + " printed", () -> out.toString().lines().count(), n -> n == expected);
      }
    } finally {
      follower.interrupt();
      follower.join(30_000);
    }
    assertThat(exit.get()).as(err.toString()).isZero();
    List<String> rows = out.toString().lines().toList();
    assertThat(rows).hasSize(2);
    for (String row : rows) {
      assertThat(TestGateway.json(row).path("keyId").asText())
          .isEqualTo(created.path("id").asText());
    }
    assertThat(TestGateway.json(rows.get(0)).path("id").asText())
        .isNotEqualTo(TestGateway.json(rows.get(1)).path("id").asText());
    assertThat(admin("logs", "tail", "--follow", "--cursor", "x").exit()).isEqualTo(2);
  }

  @Test
  void logsAndSpendShowTheCallsMade() throws Exception {
    String key = gateway.newKey();
    gateway.price("mock", "gpt-4o", "1", "1");
    String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(gateway.client("POST", "/v1/chat/completions", key, chat).statusCode())
        .isEqualTo(200);

    JsonNode logs =
        Eventually.await(
            "the call in the request log",
            () -> ok("logs", "tail", "--model", "gpt-4o", "-o", "json").json(),
            page -> page.path("data").size() >= 1);
    JsonNode row = logs.path("data").get(0);
    assertThat(row.path("status").asInt()).isEqualTo(200);

    CliRun tail = ok("logs", "tail", "-n", "5");
    assertThat(tail.out()).contains("MODEL").contains("gpt-4o").contains(row.path("id").asText());
    assertThat(
            ok("logs", "show", row.path("id").asText(), "-o", "json").json().path("model").asText())
        .isEqualTo("gpt-4o");
    assertThat(ok("logs", "export", "--since", "1d", "--model", "gpt-4o").out())
        .startsWith("id,")
        .contains(row.path("id").asText());

    JsonNode spend = ok("spend", "--by", "model", "--since", "7d", "-o", "json").json();
    assertThat(spend.path("groupBy").asText()).isEqualTo("model");
    assertThat(spend.path("data").findValuesAsText("group")).contains("gpt-4o");
    assertThat(spend.path("total").path("requests").asLong()).isGreaterThanOrEqualTo(1);
    CliRun table = ok("spend", "--by", "provider", "--since", "24h");
    assertThat(table.out()).contains("PROVIDER").contains("mock").contains("TOTAL");
    assertThat(table.out()).as("plain decimals").contains("0.000015").doesNotContain("E-");

    assertThat(admin("spend", "--since", "a week").exit()).isEqualTo(2);
    assertThat(admin("spend", "--by", "colour").exit()).isEqualTo(2);
    CliRun badStatus = admin("logs", "tail", "--status", "teapot");
    assertThat(badStatus.exit()).isEqualTo(1);
    assertThat(badStatus.err()).contains("HTTP 400");
  }
}
