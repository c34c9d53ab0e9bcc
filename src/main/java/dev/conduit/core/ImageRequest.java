package dev.conduit.core;

/**
 * An image generation request in the gateway's own model, for providers whose image API is not
 * OpenAI's (Imagen on Vertex AI or the Gemini API, Bedrock image models); OpenAI-compatible
 * providers get the caller's body instead.
 *
 * @param prompt what to draw (never blank)
 * @param n how many images (1 or more)
 * @param size {@code WIDTHxHEIGHT} as OpenAI states it (such as {@code 1024x1024}); null or {@code
 *     auto} for the model's default
 * @param quality OpenAI's quality ({@code standard}, {@code hd}, {@code low}, {@code medium},
 *     {@code high}, {@code auto}); null for the default
 * @param outputFormat {@code png}, {@code jpeg} or {@code webp}; null for the provider's default
 */
public record ImageRequest(String prompt, int n, String size, String quality, String outputFormat) {

  public ImageRequest {
    if (prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("prompt is required");
    }
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1");
    }
  }

  /** Width and height of {@link #size()}; null when no explicit size was asked for. */
  public int[] dimensions() {
    if (size == null) {
      return null;
    }
    int x = size.indexOf('x');
    if (x <= 0) {
      return null;
    }
    try {
      return new int[] {
        Integer.parseInt(size.substring(0, x)), Integer.parseInt(size.substring(x + 1))
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
