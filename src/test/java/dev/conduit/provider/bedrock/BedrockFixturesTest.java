package dev.conduit.provider.bedrock;

import dev.conduit.config.ProviderConfig;
import dev.conduit.testing.ProviderFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Bedrock Converse adapter against its golden fixtures (see {@link ProviderFixtures}); its
 * streams are AWS event-stream frames encoded by the test from {@code
 * upstream-stream.eventstream.json}.
 */
class BedrockFixturesTest {
  static final ProviderConfig CONFIG =
      new ProviderConfig(
          "bedrock",
          "bedrock",
          null,
          null,
          List.of(),
          null,
          null,
          "us-east-1",
          null,
          null,
          Map.of(
              "accessKeyId",
              "AKIDEXAMPLE",
              "secretAccessKey",
              "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));

  static Stream<Named<Path>> cases() {
    return ProviderFixtures.cases("bedrock");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    ProviderFixtures.forCase(folder, CONFIG, "anthropic.claude-3-5-haiku-20241022-v1:0")
        .check(folder);
  }
}
