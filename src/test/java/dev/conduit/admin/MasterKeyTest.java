package dev.conduit.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.LogCapture;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** With no CONDUIT_MASTER_KEY, the first start generates one and prints it once. */
class MasterKeyTest {
  private static final Pattern PRINTED = Pattern.compile("condt_admin_[A-Za-z0-9_-]{43}");

  @Test
  void aGeneratedMasterKeyIsPrintedOnceStoredAsAHashAndNeverLogged() throws Exception {
    try (LogCapture logs = new LogCapture();
        MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite()) {
      String yaml = Yaml.withMock(mock, db.url(), null);
      String generated;
      try (TestGateway first = TestGateway.startWithoutMasterKey(yaml)) {
        Matcher matcher = PRINTED.matcher(first.console());
        assertThat(matcher.find()).as("the console shows the generated key").isTrue();
        generated = matcher.group();
        assertThat(first.console()).contains("shown only this once");
        assertThat(callAdmin(first, generated)).isEqualTo(200);
        assertThat(callAdmin(first, "condt_admin_guess")).isEqualTo(401);
      }
      try (TestGateway second = TestGateway.startWithoutMasterKey(yaml)) {
        assertThat(PRINTED.matcher(second.console()).find())
            .as("a restart reuses the stored key and prints nothing")
            .isFalse();
        assertThat(callAdmin(second, generated)).isEqualTo(200);
      }
      try (var connection = db.connect();
          var rows = connection.createStatement().executeQuery("SELECT value FROM settings")) {
        while (rows.next()) {
          assertThat(rows.getString(1)).doesNotContain(generated);
        }
      }
      assertThat(logs.text()).doesNotContain(generated);
    }
  }

  private static int callAdmin(TestGateway gateway, String masterKey) throws Exception {
    return gateway
        .send(
            HttpRequest.newBuilder(URI.create(gateway.adminUrl("/api/admin/virtual-keys")))
                .header("X-Master-Key", masterKey),
            "GET",
            null)
        .statusCode();
  }
}
