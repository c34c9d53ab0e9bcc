package dev.conduit.provider.azure;

import dev.conduit.config.ProviderConfig;
import dev.conduit.testing.ProviderFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Azure OpenAI adapter against its golden fixtures (see {@link ProviderFixtures}). */
class AzureFixturesTest {
  static final ProviderConfig CONFIG =
      new ProviderConfig(
          "azure",
          "azure",
          "https://contoso.openai.azure.com",
          "azure-fixture-key-0123456789",
          List.of(),
          null);

  static Stream<Named<Path>> cases() {
    return ProviderFixtures.cases("azure");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    ProviderFixtures.forCase(folder, CONFIG, "gpt4o-prod").check(folder);
  }
}
