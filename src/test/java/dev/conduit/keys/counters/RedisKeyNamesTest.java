package dev.conduit.keys.counters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.keys.counters.CounterOps.Owner;
import org.junit.jupiter.api.Test;

/** The names of the shared counters and their hash tags. */
class RedisKeyNamesTest {
  private final RedisKeyNames names = new RedisKeyNames("conduit:");

  @Test
  void aKeyOutsideAGroupIsTaggedWithItsOwnId() {
    Owner owner = new Owner("key-1", null);

    assertThat(names.counter(owner, "rl:key-1:rpm:60000"))
        .isEqualTo("conduit:{k:key-1}:rl:key-1:rpm:60000");
    assertThat(names.openReservations(owner, "spend:key:key-1:total"))
        .isEqualTo("conduit:{k:key-1}:spend:key:key-1:total:open");
  }

  @Test
  void everyCounterOfAKeyInAGroupIsTaggedWithTheGroup() {
    Owner owner = new Owner("key-1", "group-7");

    assertThat(names.counter(owner, "spend:key:key-1:total"))
        .isEqualTo("conduit:{g:group-7}:spend:key:key-1:total");
    assertThat(names.counter(owner, "spend:group:group-7"))
        .isEqualTo("conduit:{g:group-7}:spend:group:group-7");
    assertThat(names.counter(owner, "rl:key-1:rpm:60000")).startsWith("conduit:{g:group-7}:");
  }

  @Test
  void aPrefixWithABraceIsRefused() {
    assertThatThrownBy(() -> new RedisKeyNames("a{b}:"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
