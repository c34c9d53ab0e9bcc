package dev.conduit.api.openai;

import dev.conduit.core.GatewayError;
import java.util.Set;

/**
 * What the gateway needs from an OpenAI-format request body, found in one streaming pass without
 * building a tree, plus the byte positions needed to rewrite it (see {@link
 * OpenAiRequestRewriter}).
 *
 * <p>Offsets are byte offsets into the body; a range is {@code [start, end)}; -1 when absent.
 */
public record OpenAiRequestScan(
    String model,
    int modelStart,
    int modelEnd,
    boolean stream,
    boolean includeUsage,
    int streamOptionsKeyStart,
    int streamOptionsStart,
    int streamOptionsEnd,
    int includeUsageValueStart,
    int includeUsageValueEnd,
    boolean streamOptionsIsObject,
    boolean streamOptionsEmpty,
    int objectStart,
    Long maxTokens,
    Set<String> topLevelFields) {

  /** 400 unless every named top-level field is present. */
  public GatewayError missingField(String... required) {
    for (String field : required) {
      if (!topLevelFields.contains(field)) {
        return GatewayError.badRequest(
            "missing_required_parameter", "Missing required parameter: '" + field + "'.", field);
      }
    }
    return null;
  }
}
