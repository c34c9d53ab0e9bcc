package dev.conduit.core;

import com.fasterxml.jackson.databind.JsonNode;

/** The shape the caller wants the answer in. Absent (null) means free text. */
public sealed interface ResponseFormat
    permits ResponseFormat.Text, ResponseFormat.JsonObject, ResponseFormat.JsonSchema {

  /** Free text (the default, stated explicitly). */
  record Text() implements ResponseFormat {}

  /** Any valid JSON object. */
  record JsonObject() implements ResponseFormat {}

  /**
   * JSON matching a schema.
   *
   * @param name the schema's name
   * @param description what the schema is for; may be null
   * @param schema the JSON Schema
   * @param strict whether adherence is strict; null when not set
   */
  record JsonSchema(String name, String description, JsonNode schema, Boolean strict)
      implements ResponseFormat {}
}
