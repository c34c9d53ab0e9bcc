package dev.conduit.store;

/**
 * One stored {@code /v1/responses} answer: what a {@code previous_response_id} continues from.
 *
 * @param id the response id the caller got ({@code resp_...})
 * @param virtualKeyId the key that created it; only that key may read, continue or delete it
 * @param provider the provider that answered
 * @param passthrough whether the provider answered in its own Responses API (and so holds the
 *     conversation itself, under the same id)
 * @param items the conversation so far as a JSON array of Responses input items: earlier turns,
 *     this turn's input, this turn's output
 * @param response the response object as the caller got it (JSON)
 * @param createdAtMillis when it was stored
 * @param expiresAtMillis when it stops being served
 */
public record StoredResponse(
    String id,
    String virtualKeyId,
    String provider,
    boolean passthrough,
    String items,
    String response,
    long createdAtMillis,
    long expiresAtMillis) {}
