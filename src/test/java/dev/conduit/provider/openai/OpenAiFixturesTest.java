package dev.conduit.provider.openai;

import dev.conduit.config.ProviderConfig;
import dev.conduit.testing.ProviderFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenAI adapter (and its compatible presets) against its golden fixtures (see {@link
 * ProviderFixtures}).
 */
class OpenAiFixturesTest {
  static final ProviderConfig CONFIG =
      new ProviderConfig("openai", "openai", null, "sk-fixture-key-0123456789", List.of(), null);

  static Stream<Named<Path>> cases() {
    return ProviderFixtures.cases("openai");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    ProviderFixtures.forCase(folder, CONFIG, "gpt-4o").check(folder);
  }
}
