package dev.conduit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.api.openai.images.OpenAiImages;
import dev.conduit.config.ProviderConfig;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.ImageResponse;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.Provider;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.provider.UpstreamTarget;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Golden fixtures of a provider's image translation: {@code src/test/resources/providers/<name>/
 * <case>/}, each folder holding any of these (written by hand from the provider's API reference):
 *
 * <ul>
 *   <li>{@code images-request.json} (the caller's OpenAI generations body) → {@code
 *       upstream-request.json} (the body the adapter must send) and optionally {@code
 *       upstream-call.json} ({@code url} and {@code headers}), or {@code
 *       upstream-request.error.json} ({@code status}, {@code code}, {@code param}, a {@code
 *       message} fragment) for a request it must refuse;
 *   <li>{@code upstream-response.json} → {@code images-response.json} (the OpenAI answer, {@code
 *       created} 1700000000), or {@code images-response.error.json}: {@code {"invalid": "message
 *       fragment"}} for an unreadable answer, or an error as above.
 * </ul>
 *
 * A {@code provider.json} may name another deployment {@code model}.
 */
public final class ImageFixtures {
  public static final long CREATED = 1_700_000_000L;

  private final ProviderConfig config;
  private final String model;

  public ImageFixtures(ProviderConfig config, String model) {
    this.config = config;
    this.model = model;
  }

  public void check(Path folder) throws Exception {
    String deploymentModel =
        exists(folder, "provider.json")
            ? json(read(folder, "provider.json")).path("model").asText(model)
            : model;
    Provider provider = ProviderRegistry.build(List.of(config)).find(config.name()).orElseThrow();
    ProviderAdapter adapter = provider.adapter();
    UpstreamTarget target = Deployment.of(provider, deploymentModel, null).target();
    assertThat(adapter.translatesImages()).isTrue();
    int checked = 0;
    String outputFormat = null;
    if (exists(folder, "images-request.json")) {
      OpenAiImages.Decoded decoded =
          OpenAiImages.decode(read(folder, "images-request.json").getBytes(StandardCharsets.UTF_8));
      outputFormat = decoded.request().outputFormat();
      Future<UpstreamRequest> built = adapter.imagesToUpstream(decoded.request(), target);
      assertThat(built.isComplete()).as("translation needs no I/O here").isTrue();
      if (exists(folder, "upstream-request.error.json")) {
        assertThat(built.failed()).as("the request is refused").isTrue();
        assertThat(built.cause()).isInstanceOf(GatewayException.class);
        expectError(
            ((GatewayException) built.cause()).error(),
            json(read(folder, "upstream-request.error.json")));
      } else {
        assertThat(built.succeeded()).as(String.valueOf(built.cause())).isTrue();
        UpstreamRequest upstream = built.result();
        assertThat(json(upstream.body().toString()))
            .as("upstream request body")
            .isEqualTo(json(read(folder, "upstream-request.json")));
        if (exists(folder, "upstream-call.json")) {
          JsonNode call = json(read(folder, "upstream-call.json"));
          assertThat(upstream.url()).isEqualTo(call.path("url").asText());
          for (Map.Entry<String, JsonNode> header : iterable(call.path("headers"))) {
            assertThat(upstream.headers().get(header.getKey()))
                .as("header " + header.getKey())
                .isEqualTo(header.getValue().isNull() ? null : header.getValue().asText());
          }
        }
      }
      checked++;
    }
    if (exists(folder, "upstream-response.json")) {
      Buffer body = Buffer.buffer(read(folder, "upstream-response.json"));
      if (exists(folder, "images-response.error.json")) {
        JsonNode expected = json(read(folder, "images-response.error.json"));
        if (expected.has("invalid")) {
          assertThatThrownBy(() -> adapter.imagesFromUpstream(body, target))
              .isInstanceOf(InvalidUpstreamResponse.class)
              .hasMessageContaining(expected.path("invalid").asText());
        } else {
          assertThatThrownBy(() -> adapter.imagesFromUpstream(body, target))
              .isInstanceOf(GatewayException.class)
              .satisfies(e -> expectError(((GatewayException) e).error(), expected));
        }
      } else {
        ImageResponse response = adapter.imagesFromUpstream(body, target);
        assertThat(json(OpenAiImages.encode(response, CREATED, outputFormat).toString()))
            .as("OpenAI answer")
            .isEqualTo(json(read(folder, "images-response.json")));
      }
      checked++;
    }
    assertThat(checked).as("fixture files in " + folder).isPositive();
  }

  private static void expectError(GatewayError error, JsonNode expected) {
    assertThat(error.status()).isEqualTo(expected.path("status").asInt());
    assertThat(error.code()).isEqualTo(expected.path("code").asText());
    assertThat(error.param()).isEqualTo(expected.path("param").asText(null));
    assertThat(error.message()).contains(expected.path("message").asText());
  }

  private static boolean exists(Path folder, String file) {
    return Files.exists(folder.resolve(file));
  }

  private static String read(Path folder, String file) throws IOException {
    return Files.readString(folder.resolve(file));
  }

  private static JsonNode json(String text) throws IOException {
    return CanonicalJson.MAPPER.readTree(text);
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
    return object::fields;
  }
}
