package dev.conduit.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.ImageRequest;
import dev.conduit.core.ImageResponse;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.UpstreamJson;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Canonical image generation to and from Gemini's native image output
 * (https://ai.google.dev/gemini-api/docs/image-generation): {@code generateContent} with the prompt
 * as the user's text and {@code generationConfig.responseModalities: ["IMAGE"]} (the size as {@code
 * imageConfig.aspectRatio}), answered with {@code inlineData} parts. One image per call. Only the
 * prompt's tokens are reported as usage: the image itself is priced per image (Google prices its
 * fixed count of output tokens), so it is not counted twice.
 */
final class GeminiImages {
  private GeminiImages() {}

  /** Whether {@code model} is a Gemini model with image output ({@code gemini-*-image*}). */
  static boolean isGeminiImage(String model) {
    String name = model.substring(model.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return name.startsWith("gemini") && name.contains("-image");
  }

  static Buffer toUpstream(ImageRequest request, String provider) {
    if (request.n() > 1) {
      throw new GatewayException(
          GatewayError.badRequest(
              "invalid_value",
              "Gemini image models (provider '"
                  + provider
                  + "') make one image per request; 'n' was "
                  + request.n()
                  + ".",
              "n"));
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    ObjectNode content = body.putArray("contents").addObject().put("role", "user");
    content.putArray("parts").addObject().put("text", request.prompt());
    ObjectNode config = body.putObject("generationConfig");
    config.putArray("responseModalities").add("IMAGE");
    String ratio = ImagenImages.aspectRatio(request, provider);
    if (ratio != null) {
      config.putObject("imageConfig").put("aspectRatio", ratio);
    }
    return Buffer.buffer(body.toString());
  }

  static ImageResponse fromUpstream(Buffer body) {
    JsonNode root = UpstreamJson.readObject(body);
    JsonNode candidates = root.path("candidates");
    if (!candidates.isArray() && !root.has("promptFeedback")) {
      throw new InvalidUpstreamResponse("the response has no 'candidates' array");
    }
    List<ImageResponse.Image> images = new ArrayList<>();
    String reason = root.path("promptFeedback").path("blockReason").asText(null);
    for (JsonNode candidate : candidates) {
      for (JsonNode part : candidate.path("content").path("parts")) {
        JsonNode inline = part.path("inlineData");
        if (inline.path("data").isTextual()) {
          images.add(
              new ImageResponse.Image(
                  inline.path("data").asText(), inline.path("mimeType").asText(null), null));
        }
      }
      if (reason == null) {
        reason = candidate.path("finishReason").asText(null);
      }
    }
    if (images.isEmpty()) {
      throw new GatewayException(
          GatewayError.badRequest(
              "image_filtered",
              "The provider returned no image" + (reason == null ? "." : " (" + reason + ")."),
              "prompt"));
    }
    JsonNode usage = root.path("usageMetadata");
    long prompt = usage.path("promptTokenCount").asLong(0);
    return new ImageResponse(images, prompt == 0 ? Usage.NONE : Usage.of(prompt, 0));
  }
}
