package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.core.Endpoint;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import java.nio.charset.StandardCharsets;
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
        new Usage(10, 5, 3, 2),
        cost,
        BODY.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anEntryReadsBackAsItWasWrittenBytesForBytes() throws Exception {
    for (CacheEntry written : new CacheEntry[] {entry("key-1", 42L), entry(null, null)}) {
      byte[] bytes = written.serialize();
      assertThat(Json.MAPPER.readTree(bytes).isObject()).isTrue();
      CacheEntry read = CacheEntry.deserialize(bytes);
      assertThat(read.body()).isEqualTo(written.body());
      assertThat(read).usingRecursiveComparison().ignoringFields("body").isEqualTo(written);
    }
  }

  @Test
  void bytesThatAreNotAnEntryAreCorrupt() {
    assertThatThrownBy(() -> CacheEntry.deserialize("{\"v\":2}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheEntry.CorruptEntry.class);
    assertThatThrownBy(() -> CacheEntry.deserialize("{\"v\":1,".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheEntry.CorruptEntry.class);
  }
}
