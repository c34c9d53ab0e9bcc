package dev.conduit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.GatewayException;
import dev.conduit.core.StreamChunk;
import dev.conduit.pipeline.StreamEncoder;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * Golden fixtures of one client protocol (the inbound side of a translation): {@code
 * src/test/resources/clients/<protocol>/<case>/} with any of
 *
 * <ul>
 *   <li>{@code client-request.json} → {@code canonical-request.json}, or {@code
 *       client-request.error.json} (the 400 the decoder must refuse with);
 *   <li>{@code canonical-response.json} → {@code client-response.json};
 *   <li>{@code canonical-chunks.json} ({@code {"chunks": [...], "includeUsage": bool}}) → {@code
 *       client-stream.sse}, compared event by event (names exactly, data as JSON).
 * </ul>
 */
public final class ClientFixtures {
  private static final Path ROOT = Paths.get("src/test/resources/clients");

  private final Function<byte[], ChatRequest> decoder;
  private final Function<ChatResponse, Buffer> responseEncoder;
  private final Function<Boolean, StreamEncoder> streamEncoders;

  public ClientFixtures(
      Function<byte[], ChatRequest> decoder,
      Function<ChatResponse, Buffer> responseEncoder,
      Function<Boolean, StreamEncoder> streamEncoders) {
    this.decoder = decoder;
    this.responseEncoder = responseEncoder;
    this.streamEncoders = streamEncoders;
  }

  public static Stream<Named<Path>> cases(String protocol) {
    try (Stream<Path> folders = Files.list(ROOT.resolve(protocol))) {
      List<Named<Path>> cases =
          folders
              .filter(Files::isDirectory)
              .sorted()
              .map(folder -> Named.of(folder.getFileName().toString(), folder))
              .toList();
      assertThat(cases).isNotEmpty();
      return cases.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void check(Path folder) throws Exception {
    int checked = 0;
    if (Files.exists(folder.resolve("client-request.json"))) {
      byte[] body = Files.readAllBytes(folder.resolve("client-request.json"));
      if (Files.exists(folder.resolve("client-request.error.json"))) {
        JsonNode expected = json(Files.readString(folder.resolve("client-request.error.json")));
        assertThatThrownBy(() -> decoder.apply(body))
            .isInstanceOfSatisfying(
                GatewayException.class,
                e -> {
                  assertThat(e.error().status()).isEqualTo(400);
                  assertThat(e.error().param()).isEqualTo(expected.path("param").asText(null));
                  assertThat(e.error().message()).contains(expected.path("message").asText());
                });
      } else {
        ChatRequest actual = decoder.apply(body);
        ChatRequest expected =
            CanonicalJson.request(Files.readString(folder.resolve("canonical-request.json")));
        if (!actual.equals(expected)) {
          throw new AssertionError(
              "canonical request differs\nexpected: "
                  + CanonicalJson.write(expected)
                  + "\nactual:   "
                  + CanonicalJson.write(actual));
        }
      }
      checked++;
    }
    if (Files.exists(folder.resolve("canonical-response.json"))) {
      ChatResponse response =
          CanonicalJson.response(Files.readString(folder.resolve("canonical-response.json")));
      JsonNode actual = json(responseEncoder.apply(response).toString());
      JsonNode expected = json(Files.readString(folder.resolve("client-response.json")));
      assertJson("client response", actual, expected);
      checked++;
    }
    if (Files.exists(folder.resolve("canonical-chunks.json"))) {
      JsonNode input = json(Files.readString(folder.resolve("canonical-chunks.json")));
      List<StreamChunk> chunks = CanonicalJson.chunks(input.path("chunks"));
      StreamEncoder encoder = streamEncoders.apply(input.path("includeUsage").asBoolean(false));
      StringBuilder out = new StringBuilder();
      boolean failed = false;
      for (StreamChunk chunk : chunks) {
        encoder.encode(chunk, bytes -> out.append(bytes.toString()));
        failed |= chunk instanceof StreamChunk.Failure;
      }
      if (!failed) {
        encoder.finish(bytes -> out.append(bytes.toString()));
      }
      compareStreams(out.toString(), Files.readString(folder.resolve("client-stream.sse")));
      checked++;
    }
    assertThat(checked).as("fixture files in " + folder).isPositive();
  }

  private static void compareStreams(String actual, String expected) throws IOException {
    List<String[]> actualEvents = events(actual);
    List<String[]> expectedEvents = events(expected);
    assertThat(actualEvents).as("number of events in\n" + actual).hasSameSizeAs(expectedEvents);
    for (int i = 0; i < expectedEvents.size(); i++) {
      String[] want = expectedEvents.get(i);
      String[] got = actualEvents.get(i);
      assertThat(got[0]).as("name of event " + i).isEqualTo(want[0]);
      if (want[1].startsWith("{")) {
        assertJson("event " + i, json(got[1]), json(want[1]));
      } else {
        assertThat(got[1]).as("data of event " + i).isEqualTo(want[1]);
      }
    }
  }

  /** Events as {name, data}; the text must be well formed (every event ends with a blank line). */
  private static List<String[]> events(String text) {
    assertThat(text).as("a stream ends with a blank line").endsWith("\n\n");
    List<String[]> events = new ArrayList<>();
    for (String block : text.split("\n\n")) {
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
      events.add(new String[] {name, data.toString()});
    }
    return events;
  }

  private static void assertJson(String what, JsonNode actual, JsonNode expected)
      throws IOException {
    if (!actual.equals(expected)) {
      throw new AssertionError(
          what
              + " differs\nexpected: "
              + CanonicalJson.MAPPER.writeValueAsString(expected)
              + "\nactual:   "
              + CanonicalJson.MAPPER.writeValueAsString(actual));
    }
  }

  private static JsonNode json(String text) throws IOException {
    return CanonicalJson.MAPPER.readTree(text);
  }
}
