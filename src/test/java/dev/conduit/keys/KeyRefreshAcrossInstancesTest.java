package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.Eventually;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import org.junit.jupiter.api.Test;

/** Two gateway instances on one PostgreSQL database: a key change on one applies on the other. */
class KeyRefreshAcrossInstancesTest {

  @Test
  void aKeyCreatedOrRevokedOnOneInstanceAppliesOnTheOther() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.postgres()) {
      String yaml = Yaml.withMock(mock, db.url(), null);
      try (TestGateway first = TestGateway.start(yaml);
          TestGateway second = TestGateway.start(yaml)) {
        JsonNode created = first.createKey("{\"name\":\"shared\"}");
        String secret = created.get("key").asText();

        Eventually.await(
            "the new key to work on the second instance",
            () -> second.client("GET", "/v1/models", secret, null).statusCode(),
            status -> status == 200);

        first.admin("DELETE", "/api/admin/virtual-keys/" + created.get("id").asText(), null);

        Eventually.await(
            "the revocation to apply on the second instance",
            () -> second.client("GET", "/v1/models", secret, null).statusCode(),
            status -> status == 401);
        assertThat(first.client("GET", "/v1/models", secret, null).statusCode()).isEqualTo(401);
      }
    }
  }
}
