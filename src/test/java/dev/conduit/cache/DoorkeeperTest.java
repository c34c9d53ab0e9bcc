package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DoorkeeperTest {
  @Test
  void aKeyIsSeenBeforeOnlyFromItsSecondUse() {
    Doorkeeper doorkeeper = new Doorkeeper(Doorkeeper.DEFAULT_BITS_LOG2);
    for (int i = 0; i < 1_000; i++) {
      assertThat(doorkeeper.seenBefore(CacheKey.sha256("request " + i))).as("first use").isFalse();
    }
    for (int i = 0; i < 1_000; i++) {
      assertThat(doorkeeper.seenBefore(CacheKey.sha256("request " + i))).as("second").isTrue();
    }
  }

  /**
   * A key whose two bits are {@code 2i} and {@code 2i + 1}: the doorkeeper takes them from the
   * key's first 16 hex digits (low 32 bits, then high 32 bits).
   */
  private static String keyOnBits(int i) {
    long hash = ((long) (2 * i + 1) << 32) | (2 * i);
    return String.format("%016x", hash) + "0".repeat(48);
  }

  @Test
  void itForgetsEverythingOnceHalfItsBitsAreSet() {
    Doorkeeper doorkeeper = new Doorkeeper(8); // 256 bits: cleared past 128
    assertThat(doorkeeper.seenBefore(keyOnBits(0))).isFalse();
    for (int i = 1; i < 64; i++) {
      assertThat(doorkeeper.seenBefore(keyOnBits(i))).isFalse(); // bits 2..127: 128 set
    }
    assertThat(doorkeeper.seenBefore(keyOnBits(0))).as("still remembered").isTrue();
    doorkeeper.seenBefore(keyOnBits(64)); // bit 128 is the 129th: everything is forgotten
    assertThat(doorkeeper.seenBefore(keyOnBits(0))).as("forgotten").isFalse();
  }
}
