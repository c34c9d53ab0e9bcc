package dev.conduit.api.openai.responses;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes the ids of a response and its output items: a type prefix ({@code resp}, {@code msg},
 * {@code fc}, {@code rs}) and random hex. An interface so fixtures can use predictable ids.
 */
@FunctionalInterface
public interface ItemIds {
  /** Random ids, as OpenAI's look ({@code msg_67ccd2bf17f0819...}). */
  ItemIds RANDOM =
      prefix -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return prefix
            + "_"
            + new UUID(random.nextLong(), random.nextLong()).toString().replace("-", "");
      };

  /** A new id with {@code prefix}. */
  String next(String prefix);
}
