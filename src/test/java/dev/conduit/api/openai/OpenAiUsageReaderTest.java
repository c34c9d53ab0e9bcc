package dev.conduit.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.core.FinishReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiUsageReaderTest {
  private static OpenAiUsageReader.BodyFacts read(String body) throws IOException {
    return OpenAiUsageReader.read(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsUsageAndTheFinishReasonInOnePass() throws IOException {
    OpenAiUsageReader.BodyFacts facts =
        read(
            "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"hi\",\"finish_reason\":\"x\"},"
                + "\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}");
    assertThat(facts.finish()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(facts.usage().inputTokens()).isEqualTo(3);
    assertThat(facts.usage().outputTokens()).isEqualTo(2);
  }

  @Test
  void anyChoiceCutAtTheLimitMakesTheAnswerCut() throws IOException {
    assertThat(
            read("{\"choices\":[{\"text\":\"a\",\"finish_reason\":\"stop\"},"
                    + "{\"text\":\"b\",\"finish_reason\":\"length\"}]}")
                .finish())
        .isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void aChoiceWithoutAReasonOrNoChoiceAtAllSaysNothing() throws IOException {
    assertThat(
            read("{\"choices\":[{\"text\":\"a\",\"finish_reason\":\"stop\"},"
                    + "{\"text\":\"b\",\"finish_reason\":null}]}")
                .finish())
        .isNull();
    assertThat(read("{\"choices\":[]}").finish()).isNull();
    assertThat(read("{\"data\":[{\"embedding\":[1,2]}]}").finish()).isNull();
  }

  @Test
  void choicesThatAreNotObjectsSayNothingButTheUsageIsStillRead() throws IOException {
    OpenAiUsageReader.BodyFacts facts =
        read("{\"choices\":[1,[2],{\"a\":3}],\"usage\":{\"prompt_tokens\":7}}");
    assertThat(facts.finish()).isNull();
    assertThat(facts.usage().inputTokens()).isEqualTo(7);
    assertThatThrownBy(() -> read("{\"choices\":[1,2")).isInstanceOf(IOException.class);
  }
}
