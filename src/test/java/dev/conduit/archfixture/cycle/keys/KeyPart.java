package dev.conduit.archfixture.cycle.keys;

import dev.conduit.archfixture.cycle.pricing.PricePart;

/** Fixture for {@code ArchitectureTest}: one half of a two-package cycle. */
public final class KeyPart {
  public long price() {
    return new PricePart().nanos();
  }
}
