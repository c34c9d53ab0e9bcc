package dev.conduit.store;

import dev.conduit.core.Units;
import java.time.Instant;

/**
 * One row of the request log: what a request asked for and what happened.
 *
 * @param id row id (time-ordered)
 * @param timestamp when the request arrived
 * @param requestId the {@code X-Request-ID} of the exchange
 * @param virtualKeyId the caller's key; null when it was not authenticated
 * @param endpoint e.g. {@code chat.completions}
 * @param model the alias the caller asked for
 * @param provider the provider that answered (or was last tried)
 * @param providerModel that provider's model name
 * @param statusCode status the caller got (499 when the caller left first)
 * @param stream whether the response was streamed
 * @param inputTokens prompt tokens
 * @param outputTokens completion tokens
 * @param cachedTokens prompt tokens read from the provider's cache
 * @param latencyMs from arrival to the last byte sent
 * @param ttfbMs from arrival to the provider's first byte; null if none came
 * @param attempts upstream attempts made
 * @param errorType error code when the request failed; null on success
 * @param errorMessage short error description; never contains secrets
 * @param costNanos cost in nano-dollars from usage and the price table; null when unpriced
 * @param groupId the key's group when the request was made; null for none
 * @param cacheHit whether the answer came from the response cache
 * @param costSavedNanos for a cache hit, the cost of the call whose answer it replayed
 * @param units the non-token units the call consumed (images, audio seconds, characters, search
 *     units); null for token-only calls
 */
public record RequestLogEntry(
    String id,
    Instant timestamp,
    String requestId,
    String virtualKeyId,
    String endpoint,
    String model,
    String provider,
    String providerModel,
    int statusCode,
    boolean stream,
    long inputTokens,
    long outputTokens,
    long cachedTokens,
    long latencyMs,
    Long ttfbMs,
    int attempts,
    String errorType,
    String errorMessage,
    Long costNanos,
    String groupId,
    boolean cacheHit,
    Long costSavedNanos,
    Units units) {

  /** A row without units (a token-only call). */
  public RequestLogEntry(
      String id,
      Instant timestamp,
      String requestId,
      String virtualKeyId,
      String endpoint,
      String model,
      String provider,
      String providerModel,
      int statusCode,
      boolean stream,
      long inputTokens,
      long outputTokens,
      long cachedTokens,
      long latencyMs,
      Long ttfbMs,
      int attempts,
      String errorType,
      String errorMessage,
      Long costNanos,
      String groupId,
      boolean cacheHit,
      Long costSavedNanos) {
    this(
        id,
        timestamp,
        requestId,
        virtualKeyId,
        endpoint,
        model,
        provider,
        providerModel,
        statusCode,
        stream,
        inputTokens,
        outputTokens,
        cachedTokens,
        latencyMs,
        ttfbMs,
        attempts,
        errorType,
        errorMessage,
        costNanos,
        groupId,
        cacheHit,
        costSavedNanos,
        null);
  }

  /** A row of a call that did not come from the response cache. */
  public RequestLogEntry(
      String id,
      Instant timestamp,
      String requestId,
      String virtualKeyId,
      String endpoint,
      String model,
      String provider,
      String providerModel,
      int statusCode,
      boolean stream,
      long inputTokens,
      long outputTokens,
      long cachedTokens,
      long latencyMs,
      Long ttfbMs,
      int attempts,
      String errorType,
      String errorMessage,
      Long costNanos,
      String groupId) {
    this(
        id,
        timestamp,
        requestId,
        virtualKeyId,
        endpoint,
        model,
        provider,
        providerModel,
        statusCode,
        stream,
        inputTokens,
        outputTokens,
        cachedTokens,
        latencyMs,
        ttfbMs,
        attempts,
        errorType,
        errorMessage,
        costNanos,
        groupId,
        false,
        null,
        null);
  }
}
