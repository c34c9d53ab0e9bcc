package dev.conduit.core;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Identifiers: time-ordered UUIDs (version 7), cheap to make on the request path. */
public final class Ids {
  private Ids() {}

  /** A version 7 UUID: 48 bits of epoch milliseconds, then random bits (RFC 9562). */
  public static String uuid7() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long millis = System.currentTimeMillis();
    long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }
}
