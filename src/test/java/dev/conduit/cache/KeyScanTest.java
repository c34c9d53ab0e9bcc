package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the masters out of {@code CLUSTER NODES}, and pointing the configured URL at them. */
class KeyScanTest {
  @Test
  void mastersWithSlotsThatAreNotFailingAreScanned() {
    String nodes =
        String.join(
            "\n",
            "a1 127.0.0.1:17000@27000 myself,master - 0 0 1 connected 0-5460",
            "b2 127.0.0.1:17001@27001 master - 0 1 2 connected 5461-10922",
            "c3 127.0.0.1:17002@27002,redis-2 master - 0 1 3 connected 10923-16383",
            "d4 127.0.0.1:17003@27003 slave a1 0 1 1 connected",
            "e5 127.0.0.1:17004@27004 master,fail - 0 1 5 disconnected 100",
            "f6 127.0.0.1:17005@27005 master - 0 1 6 connected",
            "");

    assertThat(KeyScan.masters(nodes))
        .containsExactly("127.0.0.1:17000", "127.0.0.1:17001", "127.0.0.1:17002");
  }

  @Test
  void aNodeUrlKeepsTheConfiguredSchemeCredentialsAndOptions() {
    assertThat(KeyScan.nodeUrl("rediss://user:p%40ss@redis-0.redis:6379?x=1", "10.0.0.5:6380"))
        .isEqualTo("rediss://user:p%40ss@10.0.0.5:6380?x=1");
    assertThat(KeyScan.nodeUrl("redis://redis-0.redis:6379", "10.0.0.5:6380"))
        .isEqualTo("redis://10.0.0.5:6380");
  }
}
