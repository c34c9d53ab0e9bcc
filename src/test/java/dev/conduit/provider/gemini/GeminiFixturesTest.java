package dev.conduit.provider.gemini;

import dev.conduit.config.ProviderConfig;
import dev.conduit.testing.ProviderFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Gemini adapter ({@code type: googlecloud} with an API key) against its golden fixtures (see
 * {@link ProviderFixtures}). Vertex AI sends the same bodies; its URLs and tokens are covered by
 * {@link VertexAccessTokenTest}.
 */
class GeminiFixturesTest {
  static final ProviderConfig CONFIG =
      new ProviderConfig(
          "gemini", "googlecloud", null, "gemini-fixture-key-0123456789", List.of(), null);

  static Stream<Named<Path>> cases() {
    return ProviderFixtures.cases("gemini");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    ProviderFixtures.forCase(folder, CONFIG, "gemini-2.5-flash").check(folder);
  }
}
