package dev.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.core.GatewayException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Multipart bodies read in place, and the model field spliced without touching the files. */
class MultipartBodyTest {
  private static final String BODY =
      "preamble to ignore\r\n"
          + "--XyZ\r\n"
          + "Content-Disposition: form-data; name=\"model\"\r\n\r\n"
          + "painter\r\n"
          + "--XyZ\r\n"
          + "Content-Disposition: form-data; name=\"image[]\"; filename=\"a \\\"b\\\".png\"\r\n"
          + "Content-Type: image/png\r\n\r\n"
          + "\u0089PNG\r\n--XyZnot-a-boundary\r\n"
          + "--XyZ\r\n"
          + "content-disposition: form-data; name=image[]; filename=two.png\r\n\r\n"
          + "22\r\n"
          + "--XyZ--\r\n";

  @Test
  void partsAreFoundByTheirBytes() {
    MultipartBody form = MultipartBody.parse(bytes(BODY), "XyZ");

    assertThat(form.parts()).hasSize(3);
    assertThat(form.text("model")).isEqualTo("painter");
    assertThat(form.all("image")).hasSize(2);
    MultipartBody.Part first = form.all("image").get(0);
    assertThat(first.filename()).isEqualTo("a \"b\".png");
    assertThat(first.contentType()).isEqualTo("image/png");
    // A boundary string not followed by a line end is content.
    assertThat(first.size()).isEqualTo("\u0089PNG\r\n--XyZnot-a-boundary".length());
    assertThat(form.text(first)).endsWith("PNG\r\n--XyZnot-a-boundary");
    assertThat(form.all("image").get(1).filename()).isEqualTo("two.png");
  }

  @Test
  void theModelIsReplacedAndEveryOtherByteKept() {
    MultipartBody form = MultipartBody.parse(bytes(BODY), "XyZ");

    String rewritten =
        form.replace(form.first("model"), "dall-e-2").toString(StandardCharsets.ISO_8859_1);

    String expected =
        BODY.substring(BODY.indexOf("--XyZ"))
            .replace("\r\n\r\npainter\r\n", "\r\n\r\ndall-e-2\r\n");
    assertThat(rewritten).isEqualTo(expected);
    assertThat(MultipartBody.boundaryOf(bytes(rewritten))).isEqualTo("XyZ");
    assertThat(MultipartBody.parse(bytes(rewritten), "XyZ").text("model")).isEqualTo("dall-e-2");
  }

  @Test
  void theBoundaryComesFromTheContentType() {
    assertThat(MultipartBody.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
    assertThat(MultipartBody.boundary("Multipart/Form-Data;boundary=\"a b\"")).isEqualTo("a b");
    assertThat(MultipartBody.boundary("application/json")).isNull();
    assertThat(MultipartBody.boundary("multipart/form-data")).isNull();
    assertThat(MultipartBody.boundary(null)).isNull();
  }

  @Test
  void incompleteBodiesAre400() {
    assertThatThrownBy(() -> MultipartBody.parse(bytes("--XyZ\r\nContent-Disposition: "), "XyZ"))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("headers do not end");
    assertThatThrownBy(
            () ->
                MultipartBody.parse(
                    bytes("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"),
                    "XyZ"))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("closing boundary");
    assertThatThrownBy(() -> MultipartBody.parse(bytes("{\"model\":\"x\"}"), "XyZ"))
        .isInstanceOf(GatewayException.class)
        .satisfies(e -> assertThat(((GatewayException) e).error().status()).isEqualTo(400));
    assertThatThrownBy(
            () ->
                MultipartBody.parse(
                    bytes("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--"), "XyZ"))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("no Content-Disposition name");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
