package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.core.Endpoint;
import dev.conduit.core.Usage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CacheEntryTest {
  private static final String BODY =
      "{\"choices\":[{\"message\":{\"content\":\"h\\u00e9llo \\\"w\\u00f6rld\\\" \\ud83d\\ude00"
          + " \u00e9\u4e2d\ud83d\ude00\\n\"}}]}";

  private static CacheEntry entry(String keyId, Long cost) {
    return new CacheEntry(
        "abc",
        "gpt",
        keyId,
        Endpoint.MESSAGES,
        1_000,
        2_000,
        new Usage(10, 5, 3, 2, 4),
        cost,
        BODY.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anEntryReadsBackAsItWasWrittenBytesForBytes() throws Exception {
    for (CacheEntry written : new CacheEntry[] {entry("key-1", 42L), entry(null, null)}) {
      byte[] bytes = written.serialize();
      CacheEntry read = CacheEntry.deserialize(bytes);
      assertThat(read.body()).isEqualTo(written.body());
      assertThat(read).usingRecursiveComparison().ignoringFields("body").isEqualTo(written);
    }
  }

  @Test
  void anEntryInTheJsonFormOlderGatewaysWroteIsStillRead() {
    String json =
        "{\"v\":1,\"key\":\"abc\",\"model\":\"gpt\",\"keyId\":\"key-1\",\"endpoint\":\"MESSAGES\","
            + "\"storedAt\":1000,\"expiresAt\":2000,\"usage\":{\"input\":10,\"output\":5,"
            + "\"cachedInput\":3,\"cacheWrite\":2},\"costNanos\":42,\"body\":\"{\\\"a\\\":1}\"}";
    CacheEntry read = CacheEntry.deserialize(json.getBytes(StandardCharsets.UTF_8));
    assertThat(read.key()).isEqualTo("abc");
    assertThat(read.keyId()).isEqualTo("key-1");
    assertThat(read.usage()).isEqualTo(new Usage(10, 5, 3, 2));
    assertThat(read.costNanos()).isEqualTo(42L);
    assertThat(new String(read.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
  }

  @Test
  void anEntryCutShortAnywhereIsCorrupt() {
    byte[] whole = entry("key-1", 42L).serialize();
    for (int length = 0; length < whole.length; length++) {
      byte[] cut = Arrays.copyOf(whole, length);
      assertThatThrownBy(() -> CacheEntry.deserialize(cut))
          .as("cut to %d of %d bytes", length, whole.length)
          .isInstanceOf(CacheEntry.CorruptEntry.class);
    }
    byte[] longer = Arrays.copyOf(whole, whole.length + 1);
    assertThatThrownBy(() -> CacheEntry.deserialize(longer))
        .isInstanceOf(CacheEntry.CorruptEntry.class);
  }

  @Test
  void bytesThatAreNotAnEntryAreCorrupt() {
    assertThatThrownBy(() -> CacheEntry.deserialize(new byte[] {9, 0, 0}))
        .isInstanceOf(CacheEntry.CorruptEntry.class);
    assertThatThrownBy(() -> CacheEntry.deserialize("{\"v\":2}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheEntry.CorruptEntry.class);
    assertThatThrownBy(() -> CacheEntry.deserialize("{\"v\":1,".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheEntry.CorruptEntry.class);
  }
}
