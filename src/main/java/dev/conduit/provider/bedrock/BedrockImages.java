package dev.conduit.provider.bedrock;

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
 * Canonical image generation to and from Amazon's image models on Bedrock's {@code InvokeModel}
 * ({@code POST /model/{modelId}/invoke}): Nova Canvas
 * (https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html) and Titan
 * Image Generator, which take the same text-to-image body: {@code {"taskType": "TEXT_IMAGE",
 * "textToImageParams": {"text"}, "imageGenerationConfig": {"numberOfImages", "width", "height",
 * "quality"}}}, answered with {@code {"images": [base64...], "error"}}. OpenAI's {@code hd} and
 * {@code high} qualities become {@code premium}, the others {@code standard}.
 */
final class BedrockImages {
  /** At most this many images per call ({@code numberOfImages}). */
  static final int MAX_IMAGES = 5;

  private BedrockImages() {}

  /** Whether {@code modelId} is an image model the gateway can call. */
  static boolean isImageModel(String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    return id.contains("nova-canvas") || id.contains("titan-image-generator");
  }

  /** The {@code InvokeModel} body for {@code request}. */
  static Buffer toUpstream(ImageRequest request, String provider) {
    if (request.n() > MAX_IMAGES) {
      throw new GatewayException(
          GatewayError.badRequest(
              "invalid_value",
              "Bedrock image models (provider '"
                  + provider
                  + "') make at most "
                  + MAX_IMAGES
                  + " images per request; 'n' was "
                  + request.n()
                  + ".",
              "n"));
    }
    if (request.outputFormat() != null && !request.outputFormat().equals("png")) {
      throw new GatewayException(
          GatewayError.badRequest(
              "invalid_value",
              "Bedrock image models (provider '"
                  + provider
                  + "') return png only, not '"
                  + request.outputFormat()
                  + "'.",
              "output_format"));
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("taskType", "TEXT_IMAGE");
    body.putObject("textToImageParams").put("text", request.prompt());
    ObjectNode config = body.putObject("imageGenerationConfig");
    config.put("numberOfImages", request.n());
    if (request.size() != null && !request.size().equals("auto")) {
      int[] dimensions = request.dimensions();
      if (dimensions == null) {
        throw new GatewayException(
            GatewayError.badRequest(
                "invalid_value",
                "'size' must be WIDTHxHEIGHT (such as 1024x1024) or auto, not '"
                    + request.size()
                    + "'.",
                "size"));
      }
      config.put("width", dimensions[0]).put("height", dimensions[1]);
    }
    String quality = request.quality() == null ? "" : request.quality().toLowerCase(Locale.ROOT);
    config.put("quality", quality.equals("hd") || quality.equals("high") ? "premium" : "standard");
    return Buffer.buffer(body.toString());
  }

  /** Reads an {@code InvokeModel} answer. */
  static ImageResponse fromUpstream(Buffer body) {
    JsonNode root = UpstreamJson.readObject(body);
    String error = root.path("error").isTextual() ? root.path("error").asText() : null;
    JsonNode images = root.path("images");
    if (!images.isArray()) {
      if (error != null) {
        throw filtered(error);
      }
      throw new InvalidUpstreamResponse("the response has no 'images' array");
    }
    List<ImageResponse.Image> out = new ArrayList<>();
    for (JsonNode image : images) {
      if (!image.isTextual() || image.asText().isEmpty()) {
        throw new InvalidUpstreamResponse("an image is not a base64 string");
      }
      out.add(new ImageResponse.Image(image.asText(), "image/png", null));
    }
    if (out.isEmpty()) {
      throw filtered(error == null ? "no image came back" : error);
    }
    return new ImageResponse(out, Usage.NONE);
  }

  private static GatewayException filtered(String why) {
    return new GatewayException(
        GatewayError.badRequest(
            "image_filtered", "The provider returned no image: " + why, "prompt"));
  }
}
