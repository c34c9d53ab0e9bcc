package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a translated response says about itself besides its output: its id, when it was created, and
 * the caller's request, whose settings the response object echoes.
 *
 * @param id the response id ({@code resp_...})
 * @param createdAt epoch seconds
 * @param request the caller's body
 */
public record ResponseMeta(String id, long createdAt, ObjectNode request) {}
