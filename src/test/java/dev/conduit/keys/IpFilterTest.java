package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.RawHttp;
import dev.conduit.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Per-key IP allowlists and gateway-wide IP filters, IPv4 and IPv6, over real HTTP. The test client
 * connects from 127.0.0.1, which the gateway trusts as a proxy, so other caller addresses (IPv6
 * ones too) are given in {@code X-Forwarded-For}.
 */
class IpFilterTest {
  static final String REQUEST =
      "{\"model\":\"gpt-4o\"," + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnSqlite extends Cases {
    @Override
    protected String database() {
      return "sqlite";
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnPostgres extends Cases {
    @Override
    protected String database() {
      return "postgresql";
    }
  }

  abstract static class Cases extends GatewayOnMock {
    final List<String> filters = new ArrayList<>();

    @Override
    protected String serverSettings() {
      return "  trustedProxies: [\"127.0.0.1/32\", \"::1\"]\n";
    }

    @AfterEach
    void removeFilters() throws Exception {
      for (String id : filters) {
        gateway.admin("DELETE", "/api/admin/ip-filters/" + id, null);
      }
      filters.clear();
    }

    @Test
    void aKeyWithAnAllowlistWorksOnlyFromItsBlocks() throws Exception {
      String v4 = key("[\"10.0.0.0/8\", \"127.0.0.0/8\"]");
      String v6 = key("[\"2001:db8::/32\"]");

      assertThat(chat(v4, null).statusCode()).isEqualTo(200);
      assertThat(chat(v4, "10.20.30.40").statusCode()).isEqualTo(200);
      HttpResponse<String> refused = chat(v4, "192.0.2.10");
      assertThat(refused.statusCode()).isEqualTo(403);
      JsonNode error = TestGateway.json(refused.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("ip_not_allowed");
      assertThat(error.get("message").asText()).contains("192.0.2.10");

      assertThat(chat(v6, "2001:db8:1::5").statusCode()).isEqualTo(200);
      assertThat(chat(v6, "2001:db9::5").statusCode()).isEqualTo(403);
      assertThat(chat(v6, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aDenyFilterRefusesItsBlockForEveryKeyUntilItIsDeleted() throws Exception {
      String key = gateway.newKey();
      String id = filter("198.51.100.0/24", "deny");

      HttpResponse<String> refused = chat(key, "198.51.100.9");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body()).contains("ip_not_allowed");
      // Refused before authentication: no key needed to be turned away.
      assertThat(chat(null, "198.51.100.9").statusCode()).isEqualTo(403);
      // IPv4-mapped IPv6 is the same address.
      assertThat(chat(key, "::ffff:198.51.100.9").statusCode()).isEqualTo(403);
      assertThat(chat(key, "198.51.101.9").statusCode()).isEqualTo(200);
      // A forwarded entry that is not an address could hide an address in the block: refused.
      assertThat(chat(key, "bogus").statusCode()).isEqualTo(403);

      assertThat(gateway.admin("DELETE", "/api/admin/ip-filters/" + id, null).statusCode())
          .isEqualTo(200);
      filters.remove(id);
      assertThat(chat(key, "198.51.100.9").statusCode()).isEqualTo(200);
    }

    @Test
    void allowFiltersAdmitOnlyTheirBlocksAndTheMostSpecificRuleDecides() throws Exception {
      String key = gateway.newKey();
      filter("2001:db8::/32", "allow");
      filter("2001:db8::dead/128", "deny");

      assertThat(chat(key, "2001:db8::1").statusCode()).isEqualTo(200);
      assertThat(chat(key, "2001:db8::dead").statusCode()).isEqualTo(403);
      assertThat(chat(key, "203.0.113.5").statusCode()).isEqualTo(403);
      assertThat(chat(key, null).statusCode()).isEqualTo(403);

      JsonNode list = TestGateway.json(gateway.admin("GET", "/api/admin/ip-filters", null).body());
      assertThat(list.get("data"))
          .extracting(node -> node.get("cidr").asText())
          .contains("2001:db8::/32", "2001:db8::dead/128");
    }

    @Test
    void onlyTheRightmostUntrustedForwardedAddressCounts() throws Exception {
      String key = gateway.newKey();
      filter("198.51.100.0/24", "deny");

      // A caller can put anything on the left of X-Forwarded-For; the proxy appends the truth.
      assertThat(chat(key, "198.51.100.9, 203.0.113.1").statusCode()).isEqualTo(200);
      assertThat(chat(key, "203.0.113.1, 198.51.100.9").statusCode()).isEqualTo(403);
    }

    @Test
    void everyForwardedForLineCounts() throws Exception {
      String key = key("[\"10.1.2.3/32\"]");

      // What HAProxy's "option forwardfor" sends when the caller brought a header of its own: the
      // caller's line first, the proxy's (the truth) last.
      RawHttp.Response refused =
          rawChat(key, "X-Forwarded-For: 10.1.2.3", "X-Forwarded-For: 1.1.1.1");
      assertThat(refused.status()).isEqualTo(403);
      assertThat(TestGateway.json(refused.body()).at("/error/code").asText())
          .isEqualTo("ip_not_allowed");
      assertThat(rawChat(key, "X-Forwarded-For: 1.1.1.1", "X-Forwarded-For: 10.1.2.3").status())
          .isEqualTo(200);
      // An address a trusted proxy forwarded that cannot be read is nobody's: the allowlist denies.
      assertThat(rawChat(key, "X-Forwarded-For: 10.1.2.3, 127.0.0.1, bogus").status())
          .isEqualTo(403);
    }

    @Test
    void badFiltersAreRefusedNamingTheField() throws Exception {
      HttpResponse<String> badCidr =
          gateway.admin(
              "POST", "/api/admin/ip-filters", "{\"cidr\":\"10.0.0.0/33\",\"action\":\"deny\"}");
      assertThat(badCidr.statusCode()).isEqualTo(400);
      assertThat(TestGateway.json(badCidr.body()).at("/error/param").asText()).isEqualTo("cidr");
      HttpResponse<String> badAction =
          gateway.admin(
              "POST", "/api/admin/ip-filters", "{\"cidr\":\"10.0.0.0/8\",\"action\":\"block\"}");
      assertThat(badAction.statusCode()).isEqualTo(400);
      assertThat(TestGateway.json(badAction.body()).at("/error/param").asText())
          .isEqualTo("action");
      HttpResponse<String> badKey =
          gateway.admin(
              "POST",
              "/api/admin/virtual-keys",
              "{\"name\":\"x\",\"ipAllowlist\":[\"example.com\"]}");
      assertThat(badKey.statusCode()).isEqualTo(400);
      assertThat(gateway.admin("DELETE", "/api/admin/ip-filters/nope", null).statusCode())
          .isEqualTo(404);
    }

    String key(String allowlist) throws Exception {
      return gateway
          .createKey("{\"name\":\"ip\",\"ipAllowlist\":" + allowlist + "}")
          .get("key")
          .asText();
    }

    String filter(String cidr, String action) throws Exception {
      HttpResponse<String> created =
          gateway.admin(
              "POST",
              "/api/admin/ip-filters",
              "{\"cidr\":\"" + cidr + "\",\"action\":\"" + action + "\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String id = TestGateway.json(created.body()).get("id").asText();
      filters.add(id);
      return id;
    }

    /** A chat call with header lines exactly as given, repeated names included. */
    RawHttp.Response rawChat(String key, String... headerLines) throws Exception {
      StringBuilder request =
          new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\n")
              .append("Authorization: Bearer ")
              .append(key)
              .append("\r\nContent-Type: application/json\r\nContent-Length: ")
              .append(REQUEST.length())
              .append("\r\n");
      for (String line : headerLines) {
        request.append(line).append("\r\n");
      }
      request.append("\r\n").append(REQUEST);
      try (RawHttp http = RawHttp.connect(gateway.gateway().port())) {
        return http.send(request.toString()).readResponse();
      }
    }

    HttpResponse<String> chat(String key, String forwardedFor) throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/chat/completions")));
      if (key != null) {
        request.header("Authorization", "Bearer " + key);
      }
      if (forwardedFor != null) {
        request.header("X-Forwarded-For", forwardedFor);
      }
      return gateway.send(request, "POST", REQUEST);
    }
  }
}
