package dev.conduit.archfixture.cycle.pricing;

import dev.conduit.archfixture.cycle.keys.KeyPart;

/** Fixture for {@code ArchitectureTest}: the other half of a two-package cycle. */
public final class PricePart {
  public long nanos() {
    return 1;
  }

  public long keyPrice() {
    return new KeyPart().price();
  }
}
