package dev.conduit.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class UpstreamJsonTest {
  @Test
  void anAnswerMustBeAJsonObject() {
    assertThat(UpstreamJson.readObject(Buffer.buffer("{\"id\":\"x\"}")).path("id").asText())
        .isEqualTo("x");
    assertThatThrownBy(() -> UpstreamJson.readObject(Buffer.buffer("{\"id\":")))
        .isInstanceOf(InvalidUpstreamResponse.class)
        .hasMessage("the response body is not valid JSON");
    assertThatThrownBy(() -> UpstreamJson.readObject(Buffer.buffer("[1]")))
        .isInstanceOf(InvalidUpstreamResponse.class)
        .hasMessage("the response body is not a JSON object");
    assertThatThrownBy(() -> UpstreamJson.readObject(Buffer.buffer()))
        .isInstanceOf(InvalidUpstreamResponse.class);
  }

  @Test
  void anErrorBodyThatIsNotJsonReadsAsMissing() {
    assertThat(UpstreamJson.readOrMissing(null).isMissingNode()).isTrue();
    assertThat(UpstreamJson.readOrMissing(Buffer.buffer()).isMissingNode()).isTrue();
    assertThat(UpstreamJson.readOrMissing(Buffer.buffer("<html>502</html>")).isMissingNode())
        .isTrue();
    assertThat(
            UpstreamJson.readOrMissing(Buffer.buffer("{\"error\":{\"code\":7}}"))
                .path("error")
                .path("code")
                .asInt())
        .isEqualTo(7);
  }
}
