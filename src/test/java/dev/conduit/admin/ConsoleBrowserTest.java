package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.ChromeBrowser;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The admin console in a real headless Chromium, against a gateway with the in-process {@code
 * simulated} provider and the mock upstream: log in, create a key and call the {@code demo} model
 * with it, see the call in Logs and on the Overview, disable and re-enable a provider (traffic
 * stops and resumes), reset an open circuit, adjust a group's balance, visit every page; the
 * browser console must stay free of warnings and errors (a CSP violation would be one). Screenshots
 * go to {@code target/ui-screenshots/}. Skipped, with the reason, where Chromium is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest extends GatewayOnMock {
  private ChromeBrowser browser;
  private String virtualKey;
  private final List<String> allowedProblems = new ArrayList<>();

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String yaml() {
    return Yaml.withMock(mock, db.url(), null)
            .replace("providers:\n", "providers:\n  - name: simulated\n    type: simulated\n")
        + "  - alias: demo\n    deployments:\n      - { provider: simulated, model: conduit-sim-1 }\n"
        + "routing:\n  healthCheckIntervalMs: 0\n  retries: 0\n"
        + "  circuitBreaker: { failureRatePercent: 50, slidingWindow: 2, minimumCalls: 2, "
        + "openMs: 600000, halfOpenCalls: 1 }\n";
  }

  @BeforeAll
  void startBrowser() throws Exception {
    ChromeBrowser.assumeInstalled();
    browser = ChromeBrowser.start(Path.of("target", "ui-screenshots"));
  }

  @AfterAll
  void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  /** No warning or error in the browser console during any test (CSP violations included). */
  @AfterEach
  void consoleStaysClean() {
    List<String> problems = new ArrayList<>(browser.consoleProblems());
    problems.removeIf(problem -> allowedProblems.stream().anyMatch(problem::contains));
    allowedProblems.clear();
    assertThat(problems).as("browser console").isEmpty();
  }

  /** Opens a page afresh (a reload: the same URL with only a fragment would not load again). */
  private void go(String page) {
    browser.open(gateway.adminUrl("/ui/#/" + page));
    browser.driver().navigate().refresh();
    browser.find("#page-" + page);
  }

  private HttpResponse<String> chat(String model) throws Exception {
    return gateway.client(
        "POST",
        "/v1/chat/completions",
        virtualKey,
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
  }

  @Test
  @Order(1)
  void logsInWithTheMasterKeyOnly() throws Exception {
    browser.open(gateway.adminUrl("/ui/"));
    browser.find("#master-key");
    browser.screenshot("login");
    browser.type("#master-key", "not-the-key");
    browser.click("#login");
    browser.waitForText(".login .error", "not valid");
    // The refused key's 401 is logged by Chromium as a failed resource load.
    allowedProblems.add("401 (Unauthorized)");

    browser.type("#master-key", TestGateway.MASTER_KEY);
    browser.click("#login");
    browser.find("#page-overview");
    assertThat(browser.find("nav a[aria-current=page]").getText()).isEqualTo("Overview");
    // Kept in session storage, not in a cookie or the URL.
    assertThat(browser.script("return sessionStorage.getItem('conduit.masterKey')"))
        .isEqualTo(TestGateway.MASTER_KEY);
    assertThat(browser.script("return document.cookie")).isEqualTo("");
    assertThat(browser.driver().getCurrentUrl()).doesNotContain(TestGateway.MASTER_KEY);
  }

  @Test
  @Order(2)
  void createsAKeyShownOnceAndItAnswersAChatCall() throws Exception {
    go("keys");
    browser.click("#new-key");
    browser.type("#key-editor input[name=name]", "browser-app");
    browser.type("#key-editor input[name=rpm]", "600");
    browser.click("#save-key");
    virtualKey = browser.find("#created-key").getDomProperty("value");
    assertThat(virtualKey).startsWith("condt_");
    browser.waitForText("#keys-list", "browser-app");
    assertThat(browser.find("#keys-list").getText()).contains("rpm 600").doesNotContain(virtualKey);

    HttpResponse<String> answer = chat("demo");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    browser.click("#key-created button.secondary");
    browser.screenshot("keys");

    browser.type("#key-search", "no-such-key");
    browser.waitForText("#keys-list", "No keys match.");
  }

  @Test
  @Order(3)
  void editsAndRevokesKeys() throws Exception {
    String doomed = gateway.createKey("{\"name\":\"doomed-key\"}").get("id").asText();
    go("keys");
    browser.click("[aria-label='Edit browser-app']");
    browser.type("#key-editor input[name=rpm]", "1200");
    browser.type("#key-editor input[name=allowedModels]", "demo, fail-*");
    browser.click("#save-key");
    browser.waitForText("#keys-list", "rpm 1200");
    browser.waitForText("#keys-list", "demo, fail-*");

    browser.click("[aria-label='Revoke doomed-key']");
    browser.confirm();
    browser.waitForText("#status", "doomed-key is revoked");
    browser.waitForText("[data-key-id='" + doomed + "']", "revoked");
    assertThat(
            TestGateway.json(gateway.admin("GET", "/api/admin/virtual-keys/" + doomed, null).body())
                .get("revoked")
                .asBoolean())
        .isTrue();
  }

  /** The screen-reader summary of the chart card {@code css} (hidden text: read from the DOM). */
  private String chartSummary(String css) {
    return browser.until(
        "the summary of " + css,
        () -> {
          Object text =
              browser.script(
                  "return document.querySelector(arguments[0] + ' .sr-only').textContent", css);
          return text instanceof String summary && summary.contains("shown") ? summary : null;
        });
  }

  @Test
  @Order(4)
  void theCallShowsInLogsAndOnTheOverview() throws Exception {
    go("logs");
    browser.until(
        "the demo call in the request log",
        () -> {
          browser.click("#apply-filters");
          return browser.find("#logs-list").getText().contains("demo") ? true : null;
        });
    browser.type("#filter-model", "demo");
    browser.click("#apply-filters");
    browser.waitForText("#logs-list", "simulated");
    browser.click("#logs-list tbody tr button.link");
    browser.waitForText("#log-detail", "conduit-sim-1");
    browser.screenshot("logs");
    browser.click("#export-csv");
    browser.waitForText("#status", "Exported the matching rows");
    String csv = Files.readString(browser.downloaded("request-logs.csv"));
    assertThat(csv)
        .startsWith("id,timestamp,requestId")
        .contains(",demo,simulated,conduit-sim-1,200,");
    String callDay = csv.lines().skip(1).findFirst().orElseThrow().split(",")[1].substring(0, 10);
    browser.waitForText("#spend", "demo");
    browser.find("#spend-by").sendKeys("day");
    browser.waitForText("#spend", callDay);
    browser.find("#page-logs .chart canvas");
    assertThat(chartSummary("#page-logs .chart")).endsWith(" days shown.");

    go("keys");
    browser.click("[aria-label='Spend of browser-app']");
    browser.waitForText("#key-spend", callDay);
    browser.find("#key-spend .chart canvas");
    assertThat(chartSummary("#key-spend .chart")).endsWith(" days shown.");

    go("overview");
    browser.until(
        "the call counted on the overview",
        () -> {
          String requests = browser.find("[data-stat=requests-hour] .value").getText();
          return !requests.equals("0") ? requests : null;
        });
    browser.find(".chart canvas");
    assertThat(chartSummary("[data-chart='Requests per minute']")).endsWith(" minutes shown.");
    browser.screenshot("overview");
    browser.darkMode(true);
    browser.screenshot("overview-dark");
    browser.darkMode(false);
  }

  @Test
  @Order(5)
  void disablingAProviderStopsItsTrafficAndEnablingResumesIt() throws Exception {
    go("providers");
    // Escape cancels a confirmation: nothing changes.
    browser.click("[data-provider=simulated] [data-action=disable]");
    browser.find("dialog[open] [data-confirm]").sendKeys(Keys.ESCAPE);
    browser.until(
        "the dialog to close",
        () -> browser.driver().findElements(By.cssSelector("dialog[open]")).isEmpty());
    assertThat(browser.find("[data-provider=simulated] [data-field=status]").getText())
        .isNotEqualTo("disabled");

    browser.click("[data-provider=simulated] [data-action=disable]");
    browser.confirm();
    browser.waitForText("[data-provider=simulated] [data-field=status]", "disabled");
    browser.waitForText("#status", "simulated is disabled");
    HttpResponse<String> refused = chat("demo");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);

    browser.click("[data-provider=simulated] [data-action=enable]");
    browser.confirm();
    browser.waitForText("#status", "simulated is enabled");
    browser.until(
        "simulated enabled again",
        () ->
            browser
                    .find("[data-provider=simulated] [data-field=status]")
                    .getText()
                    .equals("disabled")
                ? null
                : true);
    assertThat(chat("demo").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(6)
  void resetsAnOpenCircuit() throws Exception {
    for (int i = 0; i < 2; i++) {
      assertThat(chat("fail-503").statusCode()).isGreaterThanOrEqualTo(500);
    }
    go("providers");
    browser.waitForText("[data-circuit='mock/fail-503']", "open");
    browser.screenshot("providers");
    browser.click("[data-provider=mock] [data-action=reset-circuit]");
    browser.confirm();
    browser.waitForText("#status", "Circuits of mock are reset");
    browser.waitForText("[data-circuit='mock/fail-503']", "closed");

    browser.click("#run-health-check");
    browser.confirm();
    browser.waitForText("#status", "Health checks ran");

    browser.click("[data-provider=mock] [data-action=edit-regions]");
    browser.type("#regions-mock", "eu-west = https://eu.mock.example.com");
    browser.click("[data-provider=mock] [data-action=save-regions]");
    browser.confirm();
    browser.waitForText("#status", "Regional endpoints of mock are saved");
    browser.waitForText("[data-provider=mock]", "eu-west: https://eu.mock.example.com");
    assertThat(
            TestGateway.json(gateway.admin("GET", "/api/admin/providers/mock", null).body())
                .at("/regionalEndpoints/eu-west")
                .asText())
        .isEqualTo("https://eu.mock.example.com");
  }

  @Test
  @Order(7)
  void adjustsAGroupBalance() throws Exception {
    JsonNode group =
        TestGateway.json(
            gateway
                .admin("POST", "/api/admin/key-groups", "{\"name\":\"team-a\",\"balance\":10}")
                .body());
    String id = group.get("id").asText();
    go("groups");
    browser.waitForText("[data-balance='" + id + "']", "$10.00");
    browser.click("[data-group-id='" + id + "'] button");
    browser.type("#adjust-amount", "5.5");
    browser.type("#adjust-reason", "top-up from the console");
    browser.click("#adjust-balance");
    browser.confirm();
    browser.waitForText("[data-balance='" + id + "']", "$15.50");
    browser.waitForText("#transactions", "top-up from the console");
    assertThat(browser.find("#group-detail").getText()).doesNotContain("null", "undefined");
    browser.screenshot("groups");
    assertThat(
            TestGateway.json(gateway.admin("GET", "/api/admin/key-groups/" + id, null).body())
                .get("balance")
                .decimalValue())
        .isEqualByComparingTo("15.5");
  }

  @Test
  @Order(8)
  void theModelsAndCachePagesShowTheirData() throws Exception {
    go("models");
    browser.waitForText("#aliases", "demo");
    browser.waitForText("#aliases", "simulated/conduit-sim-1");
    browser.screenshot("models");
    browser.click("#page-models [data-export=csv]");
    assertThat(Files.readString(browser.downloaded("model-prices.csv")))
        .startsWith("provider,model,")
        .contains("simulated,conduit-sim-1");
    Path prices = Files.createTempFile("prices", ".json");
    Files.writeString(
        prices,
        "[{\"provider\":\"simulated\",\"model\":\"conduit-sim-2\","
            + "\"inputPerMillion\":1.25,\"outputPerMillion\":5}]");
    browser.driver().findElement(By.id("price-file")).sendKeys(prices.toString());
    browser.click("#import-prices");
    browser.confirm();
    browser.waitForText("#status", "Imported prices: 1 new, 0 replaced");
    browser.waitForText("#prices", "conduit-sim-2");
    Files.delete(prices);
    go("cache");
    browser.waitForText("#cache-stats", "Enabled");
    browser.screenshot("cache");
    browser.click("#flush-cache");
    browser.confirm();
    browser.waitForText("#status", "Deleted 0 memory and 0 Redis entries");
  }

  @Test
  @Order(9)
  void aRefusedKeyReturnsToTheLoginPage() throws Exception {
    browser.script("sessionStorage.setItem('conduit.masterKey', 'revoked-key')");
    browser.open(gateway.adminUrl("/ui/#/keys"));
    browser.find("#master-key");
    browser.waitForText("#status", "log in again");
    allowedProblems.add("401 (Unauthorized)");
  }
}
