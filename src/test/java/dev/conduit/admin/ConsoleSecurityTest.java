package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin console over plain HTTP: served by the admin listener only, with its security and cache
 * headers; the admin API it calls needs the master key, and refuses state-changing calls a page of
 * another site could send (form content types, {@code Sec-Fetch-Site: cross-site}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSecurityTest extends GatewayOnMock {
  private static final Pattern APP = Pattern.compile("assets/([0-9a-f]{12})/app\\.js");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Override
  protected String database() {
    return "sqlite";
  }

  private HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String contentType, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.adminUrl(path)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertSecurityHeaders(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Security-Policy"))
        .contains(ConsoleRoutes.CONTENT_SECURITY_POLICY);
    assertThat(ConsoleRoutes.CONTENT_SECURITY_POLICY)
        .contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
  }

  private String version() throws Exception {
    Matcher app = APP.matcher(get(gateway.adminUrl("/ui/")).body());
    assertThat(app.find()).isTrue();
    return app.group(1);
  }

  @Test
  void theAdminListenerServesTheConsoleNeverCached() throws Exception {
    HttpResponse<String> page = get(gateway.adminUrl("/ui/"));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
    assertSecurityHeaders(page);
    // No inline script or style: every script and style sheet is a file of this origin.
    assertThat(page.body()).doesNotContain("<style", "style=", "onclick", "javascript:");
    assertThat(page.body())
        .containsPattern("<script type=\"module\" src=\"assets/[0-9a-f]{12}/app.js\"></script>");

    HttpResponse<String> redirect = get(gateway.adminUrl("/ui"));
    assertThat(redirect.statusCode()).isEqualTo(301);
    assertThat(redirect.headers().firstValue("Location")).contains("/ui/");
  }

  @Test
  void hashedAndVersionedFilesAreCachedForAYear() throws Exception {
    String version = version();
    for (String path :
        List.of(
            "/ui/assets/" + version + "/app.js",
            "/ui/assets/" + version + "/pages/keys.js",
            "/ui/assets/" + version + "/app.css",
            "/ui/vendor/uplot/1.6.30/uPlot.esm.js",
            "/ui/vendor/uplot/1.6.30/uPlot.min.css")) {
      HttpResponse<String> file = get(gateway.adminUrl(path));
      assertThat(file.statusCode()).as(path).isEqualTo(200);
      assertThat(file.headers().firstValue("Cache-Control"))
          .as(path)
          .contains("public, max-age=31536000, immutable");
      assertSecurityHeaders(file);
    }
    assertThat(
            get(gateway.adminUrl("/ui/assets/" + version + "/app.js"))
                .headers()
                .firstValue("Content-Type"))
        .contains("text/javascript; charset=utf-8");
    // Another build's hash, a file that does not exist, the template itself: not found.
    assertThat(get(gateway.adminUrl("/ui/assets/000000000000/app.js")).statusCode()).isEqualTo(404);
    assertThat(get(gateway.adminUrl("/ui/assets/" + version + "/nope.js")).statusCode())
        .isEqualTo(404);
    assertThat(get(gateway.adminUrl("/ui/assets/" + version + "/index.html")).statusCode())
        .isEqualTo(404);
    assertThat(
            get(gateway.adminUrl("/ui/assets/" + version + "/../../../api/admin/virtual-keys"))
                .statusCode())
        .isNotEqualTo(200);
  }

  @Test
  void theClientListenerNeverServesTheConsole() throws Exception {
    String version = version();
    for (String path :
        List.of(
            "/ui/",
            "/ui",
            "/ui/index.html",
            "/ui/assets/" + version + "/app.js",
            "/ui/vendor/uplot/1.6.30/uPlot.esm.js")) {
      HttpResponse<String> response = get(gateway.clientUrl(path));
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).doesNotContain("Conduit console", "<script");
    }
  }

  @Test
  void everyAdminCallTheConsoleMakesNeedsTheMasterKey() throws Exception {
    for (String path :
        List.of(
            "/api/admin/stats/recent",
            "/api/admin/virtual-keys",
            "/api/admin/providers/health",
            "/api/admin/logs",
            "/api/admin/key-groups",
            "/api/admin/cache")) {
      assertThat(get(gateway.adminUrl(path)).statusCode()).as(path).isEqualTo(401);
      assertThat(get(gateway.adminUrl(path), "Authorization", "Bearer wrong").statusCode())
          .as(path)
          .isEqualTo(401);
      // A cookie is no credential: the admin API reads none.
      assertThat(
              get(gateway.adminUrl(path), "Cookie", "masterKey=" + TestGateway.MASTER_KEY)
                  .statusCode())
          .as(path)
          .isEqualTo(401);
      assertThat(
              get(gateway.adminUrl(path), "Authorization", "Bearer " + TestGateway.MASTER_KEY)
                  .statusCode())
          .as(path)
          .isEqualTo(200);
    }
    assertThat(post("/api/admin/virtual-keys", "application/json", "{\"name\":\"x\"}").statusCode())
        .isEqualTo(401);
  }

  @Test
  void stateChangingCallsAFormCouldSendAreRefusedEvenWithTheKey() throws Exception {
    String key = TestGateway.MASTER_KEY;
    for (String type :
        List.of(
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/plain;charset=UTF-8")) {
      HttpResponse<String> response =
          post("/api/admin/virtual-keys", type, "{\"name\":\"csrf\"}", "X-Master-Key", key);
      assertThat(response.statusCode()).as(type).isEqualTo(415);
      assertThat(response.body()).contains("unsupported_media_type");
    }
    HttpResponse<String> crossSite =
        post(
            "/api/admin/virtual-keys",
            "application/json",
            "{\"name\":\"csrf\"}",
            "X-Master-Key",
            key,
            "Sec-Fetch-Site",
            "cross-site");
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(crossSite.body()).contains("cross_site_request");

    // The console's own calls (same origin, JSON) and scripts' calls (no Sec-Fetch-Site) work.
    assertThat(
            post(
                    "/api/admin/virtual-keys",
                    "application/json",
                    "{\"name\":\"same-origin\"}",
                    "X-Master-Key",
                    key,
                    "Sec-Fetch-Site",
                    "same-origin")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            gateway.admin("POST", "/api/admin/virtual-keys", "{\"name\":\"script\"}").statusCode())
        .isEqualTo(201);
    // Reads are not state-changing: a cross-site GET is refused only for want of the key.
    assertThat(
            get(
                    gateway.adminUrl("/api/admin/virtual-keys"),
                    "X-Master-Key",
                    key,
                    "Sec-Fetch-Site",
                    "cross-site")
                .statusCode())
        .isEqualTo(200);
  }
}
