package dev.conduit.testing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.ContentPart;
import dev.conduit.core.ResponseFormat;
import dev.conduit.core.StreamChunk;
import dev.conduit.core.ToolChoice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The canonical model as JSON, for golden fixtures: records by their component names, sealed types
 * with a {@code "type"} discriminator. Test-only, so the canonical model carries no serialization
 * annotations.
 */
public final class CanonicalJson {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .addMixIn(ContentPart.class, ContentPartMixin.class)
          .addMixIn(ToolChoice.class, ToolChoiceMixin.class)
          .addMixIn(ResponseFormat.class, ResponseFormatMixin.class)
          .addMixIn(StreamChunk.class, StreamChunkMixin.class)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private CanonicalJson() {}

  public static ChatRequest request(String json) {
    return read(json, ChatRequest.class);
  }

  public static ChatResponse response(String json) {
    return read(json, ChatResponse.class);
  }

  public static List<StreamChunk> chunks(JsonNode array) {
    try {
      return List.of(MAPPER.treeToValue(array, StreamChunk[].class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = ContentPart.Text.class, name = "text"),
    @JsonSubTypes.Type(value = ContentPart.Image.class, name = "image"),
    @JsonSubTypes.Type(value = ContentPart.Reasoning.class, name = "reasoning")
  })
  private interface ContentPartMixin {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = ToolChoice.Auto.class, name = "auto"),
    @JsonSubTypes.Type(value = ToolChoice.None.class, name = "none"),
    @JsonSubTypes.Type(value = ToolChoice.Required.class, name = "required"),
    @JsonSubTypes.Type(value = ToolChoice.Named.class, name = "named")
  })
  private interface ToolChoiceMixin {}

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = ResponseFormat.Text.class, name = "text"),
    @JsonSubTypes.Type(value = ResponseFormat.JsonObject.class, name = "json_object"),
    @JsonSubTypes.Type(value = ResponseFormat.JsonSchema.class, name = "json_schema")
  })
  private interface ResponseFormatMixin {}

  /** "kind", not "type": {@link StreamChunk.Unknown} has a component named type. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = StreamChunk.Start.class, name = "start"),
    @JsonSubTypes.Type(value = StreamChunk.TextDelta.class, name = "text"),
    @JsonSubTypes.Type(value = StreamChunk.ToolCallDelta.class, name = "tool_call"),
    @JsonSubTypes.Type(value = StreamChunk.ReasoningDelta.class, name = "reasoning"),
    @JsonSubTypes.Type(value = StreamChunk.UsageUpdate.class, name = "usage"),
    @JsonSubTypes.Type(value = StreamChunk.Finish.class, name = "finish"),
    @JsonSubTypes.Type(value = StreamChunk.Failure.class, name = "failure"),
    @JsonSubTypes.Type(value = StreamChunk.Unknown.class, name = "unknown")
  })
  private interface StreamChunkMixin {}
}
