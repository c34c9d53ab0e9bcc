package dev.conduit.store;

import java.time.Instant;

/**
 * Keys that share a prepaid balance: every key's spend debits it, and at zero the keys stop.
 *
 * @param id stable identifier
 * @param name human label
 * @param creditsNanos every balance adjustment added up; balance = credits - spend
 * @param spendNanos spend written to the database so far (instances add theirs in batches)
 * @param createdAt creation time
 * @param updatedAt last change of name or credits, epoch milliseconds
 */
public record KeyGroup(
    String id,
    String name,
    long creditsNanos,
    long spendNanos,
    Instant createdAt,
    long updatedAt) {}
