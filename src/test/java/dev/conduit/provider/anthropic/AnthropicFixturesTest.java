package dev.conduit.provider.anthropic;

import dev.conduit.config.ProviderConfig;
import dev.conduit.testing.ProviderFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Anthropic adapter against its golden fixtures (see {@link ProviderFixtures}). */
class AnthropicFixturesTest {
  static final ProviderConfig CONFIG =
      new ProviderConfig(
          "anthropic", "anthropic", null, "sk-ant-fixture-key-0123456789", List.of(), null);

  static Stream<Named<Path>> cases() {
    return ProviderFixtures.cases("anthropic");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    ProviderFixtures.forCase(folder, CONFIG, "claude-sonnet-4-20250514").check(folder);
  }
}
