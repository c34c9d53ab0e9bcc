package dev.conduit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.core.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Usage when the upstream reports it, reports part of it, or reports nothing. */
class UsageTallyTest {
  private static final byte[] PROMPT =
      ("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
              + "\"content\":\"Tell me a story about a lighthouse keeper\"}],"
              + "\"image\":{\"url\":\"data:image/png;base64,AAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}")
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void aCompleteReportIsTrusted() {
    UsageTally tally = new UsageTally(PROMPT);
    tally.output("many many words that would count differently");
    tally.reported(new Usage(100, 7, 10, 0));

    assertThat(tally.usage(true)).isEqualTo(new Usage(100, 7, 10, 0));
  }

  @Test
  void withoutAReportTheGatewayCounts() {
    UsageTally tally = new UsageTally(PROMPT);
    tally.output("Once upon a time");

    Usage usage = tally.usage(true);
    assertThat(usage.inputTokens())
        .as("the text of the prompt, not its ids or image bytes")
        .isBetween(8L, 12L);
    assertThat(usage.outputTokens()).isEqualTo(4);
  }

  @Test
  void anAbandonedStreamKeepsTheReportedInputAndCountsTheOutputSoFar() {
    UsageTally tally = new UsageTally(PROMPT);
    tally.reported(new Usage(250, 1, 0, 0)); // Anthropic's message_start
    tally.output("Once upon a time");

    assertThat(tally.usage(false)).isEqualTo(new Usage(250, 4, 0, 0));
  }

  @Test
  void answerTextIsPickedOutOfStreamEventsOfBothProtocols() {
    StringBuilder out = new StringBuilder();
    TokenCounter.appendAnswerText(
        Buffer.buffer(
            "data: {\"id\":\"c\",\"choices\":[{\"delta\":"
                + "{\"content\":\"Hel\\\"lo\"},\"finish_reason\":null}]}\n\n"),
        out);
    TokenCounter.appendAnswerText(
        Buffer.buffer(
            "data: {\"choices\":[{\"delta\":{\"tool_calls\":"
                + "[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n"),
        out);
    TokenCounter.appendAnswerText(
        Buffer.buffer(
            "event: content_block_delta\ndata: {\"type\":"
                + "\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\": "
                + "\" wörld\"}}\n\n"),
        out);
    TokenCounter.appendAnswerText(
        Buffer.buffer(
            "data: {\"content\":null,\"model\":\"text\","
                + "\"note\":\"\\\"content\\\":\\\"not a key\\\"\"}\n\n"),
        out);

    assertThat(out.toString()).isEqualTo("Hel\\\"lo{\\\"a\\\" wörld");
  }
}
