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
 * Canonical image generation to and from Imagen's {@code predict} method, which Vertex AI
 * (https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/imagen-api) and the Gemini
 * API (https://ai.google.dev/gemini-api/docs/imagen) take alike: {@code {"instances": [{"prompt"}],
 * "parameters": {"sampleCount", "aspectRatio", "outputOptions": {"mimeType"}}}}, answered with
 * {@code predictions[].bytesBase64Encoded} and {@code mimeType}. Imagen takes an aspect ratio, not
 * a size: OpenAI's {@code WIDTHxHEIGHT} becomes the nearest ratio Imagen offers. Quality has no
 * Imagen counterpart (the model decides; it only prices the call).
 */
final class ImagenImages {
  /** Imagen's aspect ratios, as text and as width / height. */
  private static final String[] RATIOS = {"1:1", "3:4", "4:3", "9:16", "16:9"};

  private static final double[] RATIO_VALUES = {1.0, 3.0 / 4, 4.0 / 3, 9.0 / 16, 16.0 / 9};

  /** At most this many images per call (Imagen's {@code sampleCount} limit). */
  static final int MAX_IMAGES = 4;

  private ImagenImages() {}

  /** Whether {@code model} is an Imagen model (served by {@code predict}). */
  static boolean isImagen(String model) {
    String name = model.substring(model.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return name.startsWith("imagen") || name.startsWith("imagegeneration");
  }

  /** The {@code predict} body for {@code request}. */
  static Buffer toUpstream(ImageRequest request, String provider) {
    if (request.n() > MAX_IMAGES) {
      throw new GatewayException(
          GatewayError.badRequest(
              "invalid_value",
              "Imagen (provider '"
                  + provider
                  + "') makes at most "
                  + MAX_IMAGES
                  + " images per request; 'n' was "
                  + request.n()
                  + ".",
              "n"));
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putArray("instances").addObject().put("prompt", request.prompt());
    ObjectNode parameters = body.putObject("parameters");
    parameters.put("sampleCount", request.n());
    String ratio = aspectRatio(request, provider);
    if (ratio != null) {
      parameters.put("aspectRatio", ratio);
    }
    if (request.outputFormat() != null) {
      parameters.putObject("outputOptions").put("mimeType", mimeType(request, provider));
    }
    return Buffer.buffer(body.toString());
  }

  /** Reads a {@code predict} answer; images Imagen filtered out are left out. */
  static ImageResponse fromUpstream(Buffer body) {
    JsonNode root = UpstreamJson.readObject(body);
    JsonNode predictions = root.path("predictions");
    if (!predictions.isArray()) {
      throw new InvalidUpstreamResponse("the response has no 'predictions' array");
    }
    List<ImageResponse.Image> images = new ArrayList<>();
    String filtered = null;
    for (JsonNode prediction : predictions) {
      String bytes = prediction.path("bytesBase64Encoded").asText(null);
      if (bytes == null || bytes.isEmpty()) {
        filtered = prediction.path("raiFilteredReason").asText(filtered);
        continue;
      }
      images.add(
          new ImageResponse.Image(
              bytes,
              prediction.path("mimeType").asText(null),
              prediction.path("prompt").asText(null)));
    }
    if (images.isEmpty()) {
      throw new GatewayException(
          GatewayError.badRequest(
              "image_filtered",
              "The provider returned no image"
                  + (filtered == null ? "." : ": every image was filtered out (" + filtered + ")."),
              "prompt"));
    }
    return new ImageResponse(images, Usage.NONE);
  }

  /** The nearest of Imagen's aspect ratios to the size asked for; null for the default (1:1). */
  static String aspectRatio(ImageRequest request, String provider) {
    if (request.size() == null || request.size().equals("auto")) {
      return null;
    }
    int[] dimensions = request.dimensions();
    if (dimensions == null || dimensions[0] <= 0 || dimensions[1] <= 0) {
      throw new GatewayException(
          GatewayError.badRequest(
              "invalid_value",
              "'size' must be WIDTHxHEIGHT (such as 1024x1024) or auto for Imagen (provider '"
                  + provider
                  + "'), not '"
                  + request.size()
                  + "'.",
              "size"));
    }
    double wanted = Math.log((double) dimensions[0] / dimensions[1]);
    int best = 0;
    for (int i = 1; i < RATIOS.length; i++) {
      if (Math.abs(Math.log(RATIO_VALUES[i]) - wanted)
          < Math.abs(Math.log(RATIO_VALUES[best]) - wanted)) {
        best = i;
      }
    }
    return RATIOS[best];
  }

  private static String mimeType(ImageRequest request, String provider) {
    return switch (request.outputFormat()) {
      case "png" -> "image/png";
      case "jpeg", "jpg" -> "image/jpeg";
      default ->
          throw new GatewayException(
              GatewayError.badRequest(
                  "invalid_value",
                  "Imagen (provider '"
                      + provider
                      + "') returns png or jpeg, not '"
                      + request.outputFormat()
                      + "'.",
                  "output_format"));
    };
  }
}
