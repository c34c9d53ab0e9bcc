package dev.conduit.api.anthropic;

import dev.conduit.testing.ClientFixtures;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Anthropic callers' side of a translation ({@code /v1/messages} routed to another protocol)
 * against its golden fixtures (see {@link ClientFixtures}).
 */
class AnthropicDialectFixturesTest {
  private static final ClientFixtures FIXTURES =
      new ClientFixtures(
          AnthropicRequestDecoder::decode,
          AnthropicResponseEncoder::encode,
          includeUsage -> new AnthropicStreamEncoder());

  static Stream<Named<Path>> cases() {
    return ClientFixtures.cases("anthropic");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    FIXTURES.check(folder);
  }
}
