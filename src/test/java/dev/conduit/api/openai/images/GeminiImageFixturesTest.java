package dev.conduit.api.openai.images;

import dev.conduit.testing.ImageFixtures;
import dev.conduit.testing.ProviderFixtures;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenAI image generations to and from a Gemini image model's {@code generateContent}, against the
 * golden fixtures in {@code providers/gemini-image} (see {@link ImageFixtures}).
 */
class GeminiImageFixturesTest {
  static Stream<Named<Path>> cases() {
    return ProviderFixtures.cases("gemini-image");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    new ImageFixtures(ImagenFixturesTest.CONFIG, "gemini-2.5-flash-image").check(folder);
  }
}
