package dev.conduit.api.openai.images;

import dev.conduit.config.ProviderConfig;
import dev.conduit.testing.ImageFixtures;
import dev.conduit.testing.ProviderFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenAI image generations to and from Imagen's {@code predict} (a {@code googlecloud} provider
 * with an API key: the Gemini API door; Vertex AI takes the same bodies, see {@link
 * ImagesApiTest}), against the golden fixtures in {@code providers/imagen} (see {@link
 * ImageFixtures}).
 */
class ImagenFixturesTest {
  static final ProviderConfig CONFIG =
      new ProviderConfig(
          "gemini", "googlecloud", null, "gemini-fixture-key-0123456789", List.of(), null);

  static Stream<Named<Path>> cases() {
    return ProviderFixtures.cases("imagen");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    new ImageFixtures(CONFIG, "imagen-4.0-generate-001").check(folder);
  }
}
