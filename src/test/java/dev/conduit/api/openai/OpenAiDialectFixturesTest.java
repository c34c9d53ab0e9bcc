package dev.conduit.api.openai;

import dev.conduit.testing.ClientFixtures;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenAI callers' side of a translation against its golden fixtures (see {@link ClientFixtures}).
 */
class OpenAiDialectFixturesTest {
  private static final long CREATED = 1767225600;
  private static final ClientFixtures FIXTURES =
      new ClientFixtures(
          OpenAiRequestDecoder::decode,
          response -> OpenAiResponseEncoder.encode(response, CREATED),
          includeUsage -> new OpenAiStreamEncoder(includeUsage, CREATED));

  static Stream<Named<Path>> cases() {
    return ClientFixtures.cases("openai");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    FIXTURES.check(folder);
  }
}
