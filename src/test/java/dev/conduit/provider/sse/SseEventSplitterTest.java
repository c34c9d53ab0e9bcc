package dev.conduit.provider.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseEventSplitterTest {
  private static final String STREAM =
      "data: {\"a\":1}\n\n: keep-alive\n\nevent: x\ndata: two\n"
          + "data: lines\n\ndata: [DONE]\n\n";

  private static List<String> split(String stream, int chunkSize) {
    SseEventSplitter splitter = new SseEventSplitter();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < stream.length(); i += chunkSize) {
      String chunk = stream.substring(i, Math.min(stream.length(), i + chunkSize));
      splitter.feed(Buffer.buffer(chunk), event -> events.add(event.toString()));
    }
    return events;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 16, 1000})
  void emitsWholeEventsHoweverTheBytesAreChunked(int chunkSize) {
    List<String> events = split(STREAM, chunkSize);

    assertThat(events)
        .containsExactly(
            "data: {\"a\":1}\n\n",
            ": keep-alive\n\n",
            "event: x\ndata: two\ndata: lines\n\n",
            "data: [DONE]\n\n");
    assertThat(String.join("", events)).isEqualTo(STREAM);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 1000})
  void acceptsCrLfAndCrLineEnds(int chunkSize) {
    assertThat(split("data: a\r\n\r\ndata: b\r\rdata: c\n\r\n", chunkSize))
        .containsExactly("data: a\r\n\r\n", "data: b\r\r", "data: c\n\r\n");
  }

  @Test
  void keepsAnUnfinishedEventAsRemainder() {
    SseEventSplitter splitter = new SseEventSplitter();
    List<String> events = new ArrayList<>();
    splitter.feed(Buffer.buffer("data: one\n\ndata: tw"), event -> events.add(event.toString()));

    assertThat(events).containsExactly("data: one\n\n");
    assertThat(splitter.hasRemainder()).isTrue();
    assertThat(splitter.remainder().toString()).isEqualTo("data: tw");
  }

  @Test
  void readsDataAndEventFields() {
    Buffer event = Buffer.buffer("event: message_start\ndata: {\"x\":1}\ndata:second\n\n");

    assertThat(SseEvents.eventName(event)).isEqualTo("message_start");
    assertThat(SseEvents.data(event)).isEqualTo("{\"x\":1}\nsecond");
    assertThat(SseEvents.data(Buffer.buffer(": comment\n\n"))).isNull();
  }
}
