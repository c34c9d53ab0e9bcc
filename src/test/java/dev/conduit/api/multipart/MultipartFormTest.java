package dev.conduit.api.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.core.GatewayException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading a multipart/form-data body's layout and splicing one field's value. */
class MultipartFormTest {
  private static final String TYPE = "multipart/form-data; boundary=\"b0undary\"";

  private static byte[] body() {
    return ("preamble\r\n--b0undary\r\n"
            + "Content-Disposition: form-data; name=\"model\"\r\n\r\n"
            + "whisper\r\n"
            + "--b0undary\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".wav\"\r\n"
            + "Content-Type: audio/wav\r\n\r\n"
            + "RIFF\r\n--b0und\r\nnot a boundary\r\n"
            + "--b0undary\r\n"
            + "Content-Disposition: form-data; name=\"include[]\"\r\n\r\n"
            + "logprobs\r\n"
            + "--b0undary--\r\nepilogue")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void partsAreFoundWithTheirNamesFileNamesAndValues() {
    MultipartForm form = MultipartForm.parse(body(), TYPE);
    assertThat(form.parts())
        .extracting(MultipartForm.Part::name)
        .containsExactly("model", "file", "include[]");
    assertThat(form.text("model")).isEqualTo("whisper");
    assertThat(form.first("file").filename()).isEqualTo("a \"b\".wav");
    assertThat(form.first("file").contentType()).isEqualTo("audio/wav");
    assertThat(form.text("file")).isEqualTo("RIFF\r\n--b0und\r\nnot a boundary");
    assertThat(form.text("stream")).isNull();
  }

  @Test
  void replacingTheModelKeepsEveryOtherByte() {
    byte[] body = body();
    MultipartForm form = MultipartForm.parse(body, TYPE);
    String rewritten =
        form.replace(form.first("model"), "whisper-1").toString(StandardCharsets.UTF_8);
    assertThat(rewritten)
        .isEqualTo(
            new String(body, StandardCharsets.UTF_8)
                .replace("\r\nwhisper\r\n", "\r\nwhisper-1\r\n"));
    assertThat(MultipartForm.parse(rewritten.getBytes(StandardCharsets.UTF_8), TYPE).text("model"))
        .isEqualTo("whisper-1");
  }

  @Test
  void aBodyThatIsNotMultipartOrIsCutIsRefusedWith400() {
    assertThatThrownBy(() -> MultipartForm.parse(body(), "application/json"))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("multipart/form-data");
    byte[] cut = java.util.Arrays.copyOf(body(), 120);
    assertThatThrownBy(() -> MultipartForm.parse(cut, TYPE))
        .isInstanceOf(GatewayException.class)
        .satisfies(e -> assertThat(((GatewayException) e).error().status()).isEqualTo(400));
    assertThatThrownBy(() -> MultipartForm.parse(body(), "multipart/form-data"))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("boundary");
  }
}
