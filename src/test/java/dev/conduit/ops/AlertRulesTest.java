package dev.conduit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.conduit.testing.ExternalTool;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The alert rules ({@code deploy/kubernetes/base/monitoring/alerts.yaml}) are the runbook's alert
 * response matrix, valid for Prometheus ({@code promtool check rules}), and each fires on a failing
 * series and stays silent on healthy ones ({@code promtool test rules alerts-test.yaml}).
 */
class AlertRulesTest {
  static final Path MONITORING = Path.of("deploy", "kubernetes", "base", "monitoring");
  private static final String INSTALL = "apt-get install prometheus";

  /** A row of the runbook's alert response matrix, and the rule that serves it. */
  private record MatrixRow(String alert, String severity, String responseTime, String action) {}

  private static final List<MatrixRow> MATRIX =
      List.of(
          new MatrixRow(
              "ConduitProviderDown", "critical", "5m", "Disable provider, notify on-call"),
          new MatrixRow("ConduitHighErrorRate", "high", "15m", "Check logs, scale up if needed"),
          new MatrixRow(
              "ConduitDatabasePoolExhausted", "high", "10m", "Kill idle connections, restart pods"),
          new MatrixRow("ConduitMemoryHigh", "medium", "30m", "Clear cache, increase limits"),
          new MatrixRow("ConduitDiskHigh", "medium", "1h", "Archive old data, expand volume"),
          new MatrixRow("ConduitCertificateExpiring", "low", "1d", "Renew certificate"));

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    Path promtool = ExternalTool.require("promtool", INSTALL);
    ExternalTool.Result result =
        ExternalTool.run(
                MONITORING,
                promtool.toString(),
                "check",
                "rules",
                "alerts.yaml",
                "recording-rules.yaml")
            .ok();
    assertThat(result.output()).contains("SUCCESS: 9 rules found").contains("SUCCESS: 3 rules");
  }

  @Test
  void everyAlertFiresOnFailingSeriesAndStaysSilentOnHealthyOnes() throws Exception {
    Path promtool = ExternalTool.require("promtool", INSTALL);
    ExternalTool.Result result =
        ExternalTool.run(MONITORING, promtool.toString(), "test", "rules", "alerts-test.yaml").ok();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void theRulesAreTheRunbooksAlertMatrixAndPointToItsSections() throws Exception {
    JsonNode rules = group("conduit").path("rules");
    String runbook = runbook();
    List<String> names = new ArrayList<>();
    for (JsonNode rule : rules) {
      String name = rule.path("alert").asText();
      names.add(name);
      MatrixRow row =
          MATRIX.stream()
              .filter(r -> r.alert().equals(name))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name + " is not a row of the matrix"));
      assertThat(rule.path("labels").path("severity").asText()).as(name).isEqualTo(row.severity());
      JsonNode annotations = rule.path("annotations");
      assertThat(annotations.path("response_time").asText()).as(name).isEqualTo(row.responseTime());
      assertThat(annotations.path("action").asText()).as(name).isEqualTo(row.action());
      String section = annotations.path("runbook").asText();
      assertThat(section).as(name).startsWith("runbooks.md#");
      assertThat(anchors(runbook)).as(name).contains(section.substring("runbooks.md#".length()));
    }
    assertThat(names).containsAll(MATRIX.stream().map(MatrixRow::alert).toList());
    // The matrix's own words, as the runbook prints them.
    assertThat(runbook)
        .contains("| Provider Down | Critical |")
        .contains("| High Error Rate | High |")
        .contains("| Database Connection Pool Exhausted | High |")
        .contains("| Memory > 90% | Medium |")
        .contains("| Disk > 80% | Medium |")
        .contains("| Certificate Expiring | Low |");
  }

  /**
   * Beyond the matrix, the request log's own alerts: a page when rows are dropped, and one before,
   * when the writer stalls. They point to a runbook section too.
   */
  @Test
  void theRequestLogAlertsPointToTheRunbooksDatabaseSection() throws Exception {
    JsonNode rules = group("conduit-request-log").path("rules");
    List<String> names = new ArrayList<>();
    String runbook = runbook();
    for (JsonNode rule : rules) {
      names.add(rule.path("alert").asText());
      assertThat(rule.path("labels").path("severity").asText()).isEqualTo("high");
      String section = rule.path("annotations").path("runbook").asText();
      assertThat(anchors(runbook)).contains(section.substring("runbooks.md#".length()));
    }
    assertThat(names)
        .containsExactly("ConduitRequestLogRowsDropped", "ConduitRequestLogWriterStalled");
  }

  private static JsonNode group(String name) throws Exception {
    for (JsonNode group :
        new ObjectMapper(new YAMLFactory())
            .readTree(MONITORING.resolve("alerts.yaml").toFile())
            .path("groups")) {
      if (group.path("name").asText().equals(name)) {
        return group;
      }
    }
    throw new AssertionError("alerts.yaml has no group " + name);
  }

  static String runbook() throws Exception {
    try (InputStream copy = AlertRulesTest.class.getResourceAsStream("/reference/runbooks.md")) {
      return new String(copy.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** GitHub-style anchors of the runbook's headings. */
  private static List<String> anchors(String markdown) {
    List<String> anchors = new ArrayList<>();
    for (String line : markdown.split("\n")) {
      if (line.startsWith("#")) {
        anchors.add(
            line.replaceFirst("^#+\\s*", "")
                .trim()
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9 -]", "")
                .replace(' ', '-'));
      }
    }
    return anchors;
  }
}
