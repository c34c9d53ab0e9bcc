package dev.conduit.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.conduit.core.GatewayError;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** Renders errors in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrors {
  private static final JsonFactory JSON = new JsonFactory();

  private OpenAiErrors() {}

  public static Buffer body(GatewayError error) {
    return Buffer.buffer(json(error));
  }

  /** The error as one stream event, for failures after a stream has started. */
  public static Buffer streamEvent(GatewayError error) {
    return Buffer.buffer("data: " + json(error) + "\n\n");
  }

  public static String json(GatewayError error) {
    StringWriter out = new StringWriter(128 + error.message().length());
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeObjectFieldStart("error");
      json.writeStringField("message", error.message());
      json.writeStringField("type", error.type());
      json.writeStringField("param", error.param());
      json.writeStringField("code", error.code());
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
