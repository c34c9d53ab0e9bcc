package dev.conduit.core;

import java.util.List;

/**
 * Generated images in the gateway's own model, read from a provider whose image API is not
 * OpenAI's.
 *
 * @param images the images returned, in order (fewer than asked for when the provider filtered some
 *     out)
 * @param usage tokens the provider reported, if any
 */
public record ImageResponse(List<Image> images, Usage usage) {
  public ImageResponse {
    images = List.copyOf(images);
    usage = usage == null ? Usage.NONE : usage;
  }

  /**
   * One image.
   *
   * @param base64 the image bytes, base64-encoded
   * @param mimeType such as {@code image/png}; null when the provider did not say
   * @param revisedPrompt the prompt the provider actually used, if it rewrote it; else null
   */
  public record Image(String base64, String mimeType, String revisedPrompt) {}
}
