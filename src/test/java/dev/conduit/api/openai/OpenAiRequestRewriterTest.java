package dev.conduit.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.pipeline.InboundCall.StreamUsageOption;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Byte splicing of OpenAI bodies for same-protocol upstreams. */
class OpenAiRequestRewriterTest {
  private static String rewrite(String body, StreamUsageOption option) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String rewritten =
        OpenAiRequestRewriter.rewrite(bytes, OpenAiRequestScanner.scan(bytes), "up-model", option)
            .toString();
    OpenAiRequestScanner.scan(rewritten.getBytes(StandardCharsets.UTF_8)); // still valid JSON
    return rewritten;
  }

  @Test
  void streamOptionsAreRemovedWithTheirComma() {
    assertThat(
            rewrite(
                "{\"model\":\"a\", \"stream_options\": {\"include_usage\":true}, "
                    + "\"stream\":true}",
                StreamUsageOption.REMOVE))
        .isEqualTo("{\"model\":\"up-model\",  \"stream\":true}");
    assertThat(
            rewrite(
                "{\"model\":\"a\",\"stream\":true , \"stream_options\":null}",
                StreamUsageOption.REMOVE))
        .isEqualTo("{\"model\":\"up-model\",\"stream\":true }");
    assertThat(rewrite("{\"stream_options\":{},\"model\":\"a\"}", StreamUsageOption.REMOVE))
        .isEqualTo("{\"model\":\"up-model\"}");
  }

  @Test
  void aBodyWithoutStreamOptionsOnlyChangesItsModel() {
    assertThat(rewrite("{\"model\":\"a\",\"stream\":true}", StreamUsageOption.REMOVE))
        .isEqualTo("{\"model\":\"up-model\",\"stream\":true}");
  }

  @Test
  void usageIsForcedOnlyWhenAsked() {
    assertThat(rewrite("{\"model\":\"a\",\"stream\":true}", StreamUsageOption.FORCE))
        .isEqualTo(
            "{\"stream_options\":{\"include_usage\":true},\"model\":\"up-model\","
                + "\"stream\":true}");
    assertThat(rewrite("{\"model\":\"a\",\"stream\":true}", StreamUsageOption.AS_SENT))
        .isEqualTo("{\"model\":\"up-model\",\"stream\":true}");
  }
}
