package dev.conduit.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PromptTokenEstimatorTest {
  private final PromptTokenEstimator exact = new PromptTokenEstimator(1.0);

  @Test
  void countsTheTextOfEveryMessageGenerously() {
    String body =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":"
            + "\"You are terse.\"},{\"role\":\"user\",\"content\":\""
            + "hello world ".repeat(100)
            + "\"}]}";

    long tokens = exact.estimate(body.getBytes(StandardCharsets.UTF_8));

    // 200 tokens of content, plus roles, model name and per-message framing.
    assertThat(tokens).isBetween(200L, 240L);
    assertThat(new PromptTokenEstimator(1.5).estimate(body.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo((long) Math.ceil(tokens * 1.5));
  }

  @Test
  void imagesCountAFixedAllowanceNotTheirBytes() {
    String image = "data:image/png;base64," + "iVBORw0KGgo".repeat(10_000);
    String body =
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
            + "\"image_url\":{\"url\":\""
            + image
            + "\"}}]}]}";

    long tokens = exact.estimate(body.getBytes(StandardCharsets.UTF_8));

    assertThat(tokens)
        .isBetween(PromptTokenEstimator.IMAGE_TOKENS, PromptTokenEstimator.IMAGE_TOKENS + 30);
  }

  @Test
  void aBodyThatIsNotJsonCountsNothing() {
    assertThat(exact.estimate("not json".getBytes(StandardCharsets.UTF_8))).isZero();
  }
}
