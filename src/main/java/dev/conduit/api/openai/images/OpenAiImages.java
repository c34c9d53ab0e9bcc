package dev.conduit.api.openai.images;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.ImageRequest;
import dev.conduit.core.ImageResponse;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.provider.InvalidUpstreamResponse;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Locale;

/**
 * OpenAI's Images API wire format (https://platform.openai.com/docs/api-reference/images): the
 * canonical request read from a generations body, the {@code {created, data: [{b64_json}]}} answer
 * written for translated providers, and what the gateway reads from an OpenAI answer it forwards
 * (how many images, the size and quality made, token usage) without decoding the images.
 */
public final class OpenAiImages {
  /** Images answers carry megabytes of base64: no limit on a string's length. */
  private static final JsonFactory STREAMING =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxDocumentLength(-1)
                  .build())
          .build();

  private OpenAiImages() {}

  /**
   * What the gateway reads from an OpenAI images answer.
   *
   * @param images entries in {@code data}
   * @param size the {@code size} the answer reports (gpt-image models); null when absent
   * @param quality the {@code quality} the answer reports; null when absent
   * @param usage the tokens the answer reports (gpt-image models); {@link Usage#NONE} otherwise
   */
  public record Summary(int images, String size, String quality, Usage usage) {
    /** The price variant the answer reports ({@code SIZE/QUALITY}); null when it says neither. */
    public String variant() {
      return size == null ? null : quality == null ? size : size + "/" + quality;
    }
  }

  /**
   * A generations body read for a translated provider.
   *
   * @param request the canonical request
   * @param responseFormat the caller's {@code response_format}; null when left out
   */
  public record Decoded(ImageRequest request, String responseFormat) {}

  /** Reads the canonical request of a checked generations body (see {@link ImageCalls}). */
  public static Decoded decode(byte[] body) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new GatewayException(
          GatewayError.badRequest("invalid_json", "The request body is not valid JSON.", null));
    }
    return new Decoded(
        new ImageRequest(
            root.path("prompt").asText(),
            root.path("n").asInt(1),
            text(root, "size"),
            text(root, "quality"),
            text(root, "output_format")),
        text(root, "response_format"));
  }

  /** The OpenAI answer for images a translated provider made, as {@code b64_json}. */
  public static Buffer encode(ImageResponse response, long created, String outputFormat) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("created", created);
    ArrayNode data = root.putArray("data");
    String format = outputFormat;
    for (ImageResponse.Image image : response.images()) {
      ObjectNode item = data.addObject().put("b64_json", image.base64());
      if (image.revisedPrompt() != null) {
        item.put("revised_prompt", image.revisedPrompt());
      }
      if (format == null && image.mimeType() != null && image.mimeType().startsWith("image/")) {
        format = image.mimeType().substring("image/".length());
      }
    }
    if (format != null) {
      root.put("output_format", format.toLowerCase(Locale.ROOT));
    }
    Usage usage = response.usage();
    if (usage.isKnown()) {
      ObjectNode reported = root.putObject("usage");
      reported.put("input_tokens", usage.inputTokens());
      reported.put("output_tokens", usage.outputTokens());
      reported.put("total_tokens", usage.totalTokens());
    }
    return Buffer.buffer(root.toString());
  }

  /**
   * Reads an OpenAI images answer in one streaming pass, skipping over the images themselves.
   *
   * @throws InvalidUpstreamResponse when it is not a JSON object with a {@code data} array
   */
  public static Summary summary(Buffer body) {
    int images = -1;
    String size = null;
    String quality = null;
    Usage usage = Usage.NONE;
    try (JsonParser parser = STREAMING.createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidUpstreamResponse("the images response is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "data" -> {
            if (value != JsonToken.START_ARRAY) {
              throw new InvalidUpstreamResponse("the images response's 'data' is not an array");
            }
            images = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
              parser.skipChildren();
              images++;
            }
          }
          case "size" -> size = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "quality" -> quality = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "usage" -> {
            if (value == JsonToken.START_OBJECT) {
              usage = usage(Json.MAPPER.readTree(parser));
            }
          }
          default -> parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new InvalidUpstreamResponse("the images response is not valid JSON");
    }
    if (images < 0) {
      throw new InvalidUpstreamResponse("the images response has no 'data' array");
    }
    return new Summary(images, size, quality, usage);
  }

  private static Usage usage(JsonNode usage) {
    long input = usage.path("input_tokens").asLong(0);
    long output = usage.path("output_tokens").asLong(0);
    return input == 0 && output == 0 ? Usage.NONE : Usage.of(input, output);
  }

  private static String text(JsonNode root, String field) {
    JsonNode value = root.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
