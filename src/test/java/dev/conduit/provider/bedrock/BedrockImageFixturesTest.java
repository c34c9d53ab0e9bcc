package dev.conduit.provider.bedrock;

import dev.conduit.testing.ImageFixtures;
import dev.conduit.testing.ProviderFixtures;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenAI image generations to and from Nova Canvas / Titan Image Generator on Bedrock's {@code
 * InvokeModel}, against the golden fixtures in {@code providers/bedrock-images} (see {@link
 * ImageFixtures}). Signing is covered by {@code ImagesApiTest}.
 */
class BedrockImageFixturesTest {
  static Stream<Named<Path>> cases() {
    return ProviderFixtures.cases("bedrock-images");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    new ImageFixtures(BedrockFixturesTest.CONFIG, "amazon.nova-canvas-v1:0").check(folder);
  }
}
