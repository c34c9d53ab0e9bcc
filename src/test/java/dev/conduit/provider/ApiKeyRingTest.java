package dev.conduit.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conduit.testing.LogCapture;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Keys leave rotation in one place, {@link ApiKeyRing#refused}, for calls and health checks. */
class ApiKeyRingTest {
  private static final String FIRST = "sk-first-key-0000aaaa";
  private static final String SECOND = "sk-second-key-0000bbbb";

  @Test
  void aRefusedKeyLeavesTheRotationUntilNoneIsLeft() {
    ApiKeyRing ring = new ApiKeyRing(List.of(FIRST, SECOND));

    assertThat(ring.refused(FIRST, "acme", "a call")).as("another key left").isTrue();
    assertThat(ring.activeCount()).isEqualTo(1);
    assertThat(ring.current()).isEqualTo(SECOND);
    assertThat(ring.current()).isEqualTo(SECOND);

    assertThat(ring.refused(SECOND, "acme", "a health check")).as("another key left").isFalse();
    assertThat(ring.allRejected()).isTrue();
    assertThat(ring.current()).isNull();
  }

  @Test
  void aKeyTheRingDoesNotHoldOrNoKeyChangesNothing() {
    ApiKeyRing ring = new ApiKeyRing(List.of(FIRST));

    assertThat(ring.refused("sk-some-other-key-1234", "acme", "a call")).isTrue();
    assertThat(ring.refused(null, "acme", "a call")).isTrue();
    assertThat(ring.activeCount()).isEqualTo(1);
  }

  @Test
  void theRefusalIsLoggedOnceByTheKeysHintAndKeptByLaterRings() {
    Set<String> rejected = ConcurrentHashMap.newKeySet();
    ApiKeyRing ring = new ApiKeyRing(List.of(FIRST, SECOND), rejected);
    String logged;
    try (LogCapture logs = new LogCapture()) {
      ring.refused(FIRST, "acme", "a call");
      ring.refused(FIRST, "acme", "a health check");
      logged = logs.text();
    }

    assertThat(logged)
        .contains("Provider 'acme' rejected API key ****aaaa in a call")
        .contains("1 of 2 keys left")
        .doesNotContain("in a health check")
        .doesNotContain(FIRST);
    ApiKeyRing rebuilt = new ApiKeyRing(List.of(FIRST, SECOND), rejected);
    assertThat(rebuilt.activeCount()).isEqualTo(1);
  }
}
