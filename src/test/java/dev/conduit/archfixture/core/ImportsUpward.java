package dev.conduit.archfixture.core;

import dev.conduit.archfixture.api.ApiHandler;

/** Fixture for {@code ArchitectureTest}: a core class that wrongly uses the api layer above it. */
public final class ImportsUpward {
  public String handlerName() {
    return new ApiHandler().name();
  }
}
