package dev.conduit.core;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function the model may call.
 *
 * @param name the function's name
 * @param description what it does; may be null
 * @param parameters JSON Schema of its arguments (an object schema); may be null for none
 * @param strict OpenAI's strict schema adherence flag; null when not set
 */
public record Tool(String name, String description, JsonNode parameters, Boolean strict) {}
