package dev.conduit.api.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.config.ProviderConfig;
import dev.conduit.core.RerankResponse;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamTarget;
import dev.conduit.route.Deployment;
import dev.conduit.testing.CanonicalJson;
import dev.conduit.testing.ProviderFixtures;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /v1/rerank} against each rerank provider's golden fixtures ({@code
 * src/test/resources/providers/<provider>/rerank-*}, written from the providers' API references):
 * the caller's Cohere-shaped body ({@code rerank-request.json}) becomes the provider's ({@code
 * upstream-request.json}, sent where and with what {@code upstream-call.json} says), and the
 * provider's answer ({@code upstream-response.json}, or {@code .txt} when it is broken) becomes the
 * caller's ({@code rerank-response.json}, {@code "id": "*"} when the gateway makes it up; or {@code
 * rerank-response.error.txt}, a fragment of the invalid-response message). Folders with {@code
 * error-response.json} are checked by {@link ProviderFixtures}.
 */
class RerankFixturesTest {
  private static final Map<String, String> MODELS =
      Map.of(
          "cohere", "rerank-v3.5",
          "jina", "jina-reranker-v2-base-multilingual",
          "voyage", "rerank-2.5");

  static Stream<Named<Path>> cases() {
    return Stream.of("cohere", "jina", "voyage")
        .flatMap(ProviderFixtures::cases)
        .filter(folder -> folder.getPayload().getFileName().toString().startsWith("rerank-"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    String type = folder.getParent().getFileName().toString();
    ProviderConfig config =
        new ProviderConfig(type, type, null, type + "-fixture-key-0123456789", List.of(), null);
    if (Files.exists(folder.resolve("error-response.json"))) {
      ProviderFixtures.forCase(folder, config, MODELS.get(type)).check(folder);
      return;
    }
    Provider provider = ProviderRegistry.build(List.of(config)).find(type).orElseThrow();
    ProviderAdapter adapter = provider.adapter();
    UpstreamTarget target = Deployment.of(provider, MODELS.get(type), null).target();
    assertThat(adapter.servesRerank()).isTrue();
    RerankBodies.Decoded decoded =
        Files.exists(folder.resolve("rerank-request.json"))
            ? RerankBodies.decode(Files.readAllBytes(folder.resolve("rerank-request.json")))
            : RerankBodies.decode(
                "{\"model\":\"m\",\"query\":\"q\",\"documents\":[\"a\",\"b\"]}".getBytes());
    if (Files.exists(folder.resolve("upstream-request.json"))) {
      Future<UpstreamRequest> built = adapter.rerankToUpstream(decoded.request(), target);
      assertThat(built.succeeded()).as(String.valueOf(built.cause())).isTrue();
      UpstreamRequest upstream = built.result();
      assertThat(json(upstream.body().toString())).isEqualTo(read(folder, "upstream-request.json"));
      JsonNode call = read(folder, "upstream-call.json");
      assertThat(upstream.url()).isEqualTo(call.path("url").asText());
      call.path("headers")
          .fields()
          .forEachRemaining(
              header ->
                  assertThat(upstream.headers().get(header.getKey()))
                      .as("header " + header.getKey())
                      .isEqualTo(header.getValue().asText()));
    }
    if (Files.exists(folder.resolve("rerank-response.error.txt"))) {
      Buffer body = Buffer.buffer(Files.readString(folder.resolve("upstream-response.txt")));
      assertThatThrownBy(() -> adapter.rerankFromUpstream(body, target))
          .isInstanceOf(InvalidUpstreamResponse.class)
          .hasMessageContaining(
              Files.readString(folder.resolve("rerank-response.error.txt")).trim());
      return;
    }
    RerankResponse answer =
        adapter.rerankFromUpstream(
            Buffer.buffer(Files.readString(folder.resolve("upstream-response.json"))), target);
    ObjectNode actual =
        (ObjectNode) json(RerankBodies.encode(answer, decoded, "made-up").toString());
    JsonNode expected = read(folder, "rerank-response.json");
    if (expected.path("id").asText().equals("*")) {
      assertThat(actual.path("id").asText()).isEqualTo("made-up");
      actual.put("id", "*");
    }
    assertThat(actual).isEqualTo(expected);
  }

  private static JsonNode read(Path folder, String file) throws Exception {
    return json(Files.readString(folder.resolve(file)));
  }

  private static JsonNode json(String text) throws Exception {
    return CanonicalJson.MAPPER.readTree(text);
  }
}
