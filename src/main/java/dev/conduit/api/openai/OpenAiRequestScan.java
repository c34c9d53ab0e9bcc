package dev.conduit.api.openai;

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

  /** The first of the named top-level fields that is absent, or null when all are present. */
  public String missingField(String... required) {
    for (String field : required) {
      if (!topLevelFields.contains(field)) {
        return field;
      }
    }
    return null;
  }
}
