package dev.conduit.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A body larger than one write slice (64 KB) reaches the upstream whole and unchanged but for the
 * model: {@link HttpExchange} sends such bodies in slices.
 */
class LargeRequestBodyTest {

  @Test
  void aPromptOfSeveralMegabytesArrivesWhole() throws Exception {
    try (MockUpstream mock = new MockUpstream();
        TestDatabases.TestDatabase db = TestDatabases.sqlite();
        TestGateway gateway = TestGateway.start(Yaml.withMock(mock, db.url(), null))) {
      String prompt = " hello".repeat(500_000) + " end"; // 3 MB, about 500,000 tokens
      String body =
          "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
              + prompt
              + "\"}]}";

      HttpResponse<String> response =
          gateway.client("POST", "/v1/chat/completions", gateway.newKey(), body);

      assertThat(response.statusCode()).isEqualTo(200);
      String received = mock.lastReceived().body().path("messages").get(0).path("content").asText();
      assertThat(received).hasSize(prompt.length()).isEqualTo(prompt);
    }
  }
}
