package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;
import dev.conduit.testing.ClientFixtures;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Responses callers' side of a translation ({@code /v1/responses} routed to a provider without a
 * Responses API) against its golden fixtures in {@code clients/responses} (see {@link
 * ClientFixtures}). Ids are numbered ({@code msg_1}, {@code fc_2}, ...) so the fixtures can spell
 * them; the response echoes the request {@code {"model": "m"}}.
 */
class ResponsesDialectFixturesTest {
  static final ResponseMeta META = new ResponseMeta("resp_test", 1_767_225_600L, request());

  private static final ClientFixtures FIXTURES =
      new ClientFixtures(
          body -> {
            ResponsesRequest request = ResponsesRequest.parse(body);
            return ResponsesRequestDecoder.decode(request, request.input());
          },
          response ->
              Buffer.buffer(ResponsesResponseEncoder.encode(response, META, numbered()).toString()),
          includeUsage -> new ResponsesStreamEncoder(META, numbered(), stored -> {}));

  static Stream<Named<Path>> cases() {
    return ClientFixtures.cases("responses");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fixture(Path folder) throws Exception {
    FIXTURES.check(folder);
  }

  /** Ids numbered in the order they are made. */
  static ItemIds numbered() {
    AtomicInteger next = new AtomicInteger();
    return prefix -> prefix + "_" + next.incrementAndGet();
  }

  private static ObjectNode request() {
    return Json.MAPPER.createObjectNode().put("model", "m");
  }
}
