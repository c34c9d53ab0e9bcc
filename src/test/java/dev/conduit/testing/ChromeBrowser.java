package dev.conduit.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The system's headless Chromium ({@code /usr/bin/chromium}) driven through {@code
 * /usr/bin/chromedriver} with Selenium, with a fresh profile: nothing is downloaded, no Selenium
 * Manager. {@link #assumeInstalled} skips a test, saying why, where they are missing ({@code
 * .ci/run} installs them with apt-get).
 */
public final class ChromeBrowser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ChromeDriver driver;
  private final Path profile;
  private final Path screenshots;

  private final Path downloads;

  private ChromeBrowser(Path screenshots) throws IOException {
    this.screenshots = Files.createDirectories(screenshots);
    this.profile = Files.createTempDirectory("conduit-chromium-");
    this.downloads = Files.createDirectories(profile.resolve("downloads"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            downloads.toString(),
            "download.prompt_for_download",
            false));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(WAIT);
  }

  /** Skips the calling test (an assumption, with the reason) when Chromium is not installed. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Browser tests skipped: /usr/bin/chromium and /usr/bin/chromedriver are needed "
            + "(apt-get install -y chromium chromium-driver; .ci/run installs them).");
  }

  public static ChromeBrowser start(Path screenshots) throws IOException {
    return new ChromeBrowser(screenshots);
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /** The first element matching {@code css}, once it is there (at most 30 s). */
  public WebElement find(String css) {
    return until(
        "an element " + css,
        () -> {
          List<WebElement> found = driver.findElements(By.cssSelector(css));
          return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
  }

  /** Waits (at most 30 s) until {@code css}'s text contains {@code text}; answers the text. */
  public String waitForText(String css, String text) {
    return until(
        "'" + text + "' in " + css,
        () -> {
          List<WebElement> found = driver.findElements(By.cssSelector(css));
          for (WebElement element : found) {
            String shown = element.getText();
            if (shown.contains(text)) {
              return shown;
            }
          }
          return null;
        });
  }

  public void click(String css) {
    until(
        "a click on " + css,
        () -> {
          find(css).click();
          return true;
        });
  }

  public void type(String css, String text) {
    WebElement input = find(css);
    input.clear();
    input.sendKeys(text);
  }

  /** Confirms the open confirmation dialog. */
  public void confirm() {
    click("dialog[open] [data-confirm]");
  }

  /**
   * Polls {@code probe} until it answers non-null (or true), at most 30 s; fails naming {@code
   * what} otherwise. Waiting for the page to show something, not a timing assertion.
   */
  public <T> T until(String what, Supplier<T> probe) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        T value = probe.get();
        if (value != null && !Boolean.FALSE.equals(value)) {
          return value;
        }
      } catch (NoSuchElementException | StaleElementReferenceException e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("Timed out waiting for " + what, last);
  }

  public Object script(String javascript, Object... arguments) {
    return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
  }

  /** A file the page saved (a download), once it is complete (at most 30 s). */
  public Path downloaded(String name) {
    Path file = downloads.resolve(name);
    return until(
        "the download " + name,
        () ->
            Files.exists(file) && !Files.exists(downloads.resolve(name + ".crdownload"))
                ? file
                : null);
  }

  /** Saves the page as {@code <name>.png} in the screenshot folder. */
  public Path screenshot(String name) throws IOException {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Path target = screenshots.resolve(name + ".png");
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /** Follows {@code prefers-color-scheme: dark} (true) or the default (false), through DevTools. */
  public void darkMode(boolean dark) {
    driver.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of(
            "features",
            List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
  }

  /** The browser console's warnings and errors since the last call. */
  public List<String> consoleProblems() {
    List<String> problems = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
        problems.add(entry.getLevel() + " " + entry.getMessage());
      }
    }
    return problems;
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }
}
