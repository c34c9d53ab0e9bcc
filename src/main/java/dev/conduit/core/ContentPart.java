package dev.conduit.core;

/**
 * A piece of a message's content in the canonical model: text, an image, or a model's reasoning
 * (echoed back in assistant turns).
 */
public sealed interface ContentPart
    permits ContentPart.Text, ContentPart.Image, ContentPart.Reasoning {

  /** Plain text. */
  record Text(String text) implements ContentPart {
    public Text {
      text = text == null ? "" : text;
    }
  }

  /**
   * An image, either at a URL or inline. Inline images carry their media type and base64 data (a
   * {@code data:} URL from an OpenAI caller arrives here already split), so each adapter can write
   * its own inline form.
   *
   * @param url the image's http(s) URL; null for inline images
   * @param mediaType e.g. {@code image/png}; set for inline images
   * @param data base64 bytes (no {@code data:} prefix); set for inline images
   * @param detail OpenAI's {@code low}/{@code high}/{@code auto} hint; may be null
   */
  record Image(String url, String mediaType, String data, String detail) implements ContentPart {
    public static Image remote(String url, String detail) {
      return new Image(url, null, null, detail);
    }

    public static Image inline(String mediaType, String data, String detail) {
      return new Image(null, mediaType, data, detail);
    }

    public boolean isInline() {
      return data != null;
    }

    /** The image as a URL: its own, or a {@code data:} URL for inline bytes. */
    public String asUrl() {
      return isInline() ? "data:" + mediaType + ";base64," + data : url;
    }
  }

  /**
   * Reasoning the model produced in an earlier turn (Anthropic "thinking"), kept so it can be
   * handed back to a provider that requires it.
   *
   * @param text the reasoning text
   * @param signature the provider's integrity signature for it; may be null
   */
  record Reasoning(String text, String signature) implements ContentPart {}
}
