package dev.conduit.cache;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Remembers which cache keys have been asked for once already, so that an answer is stored only
 * when its request comes again ({@code cache.minUses: 2}). A Bloom filter: a fixed bit array (no
 * object per key, so unique traffic costs the heap nothing), two bits per key taken from the key's
 * own hash. It may say "seen" for a key it never saw (then that answer is stored at once, as with
 * {@code minUses: 1}); it never forgets one it saw, until it is cleared: when half its bits are set
 * it starts empty again, so it remembers a window of recent keys (about 2.9 million with the
 * default size). Thread-safe, lock-free.
 */
final class Doorkeeper {
  /** 8 Mi bits: 1 MiB. */
  static final int DEFAULT_BITS_LOG2 = 23;

  private final int bits;
  private final AtomicLongArray words;
  private final AtomicLong bitsSet = new AtomicLong();

  /** A doorkeeper of 2^{@code bitsLog2} bits (at least 64). */
  Doorkeeper(int bitsLog2) {
    this.bits = 1 << Math.max(6, bitsLog2);
    this.words = new AtomicLongArray(bits / 64);
  }

  /**
   * Marks {@code key} seen.
   *
   * @param key a cache key (hex of a SHA-256: its characters are already evenly spread)
   * @return whether it had been seen before
   */
  boolean seenBefore(String key) {
    long hash = Long.parseUnsignedLong(key, 0, 16, 16); // no substring
    boolean first = set((int) (hash & (bits - 1)));
    boolean second = set((int) ((hash >>> 32) & (bits - 1)));
    return !first && !second;
  }

  /** Sets one bit; true when it was not set before. */
  private boolean set(int bit) {
    int word = bit >>> 6;
    long mask = 1L << (bit & 63);
    long before = words.getAndUpdate(word, value -> value | mask);
    if ((before & mask) != 0) {
      return false;
    }
    if (bitsSet.incrementAndGet() > bits / 2) {
      clear();
    }
    return true;
  }

  /**
   * Forgets every key (another thread's concurrent mark may be lost: it is stored one use late).
   */
  private void clear() {
    bitsSet.set(0);
    for (int i = 0; i < words.length(); i++) {
      words.set(i, 0);
    }
  }
}
