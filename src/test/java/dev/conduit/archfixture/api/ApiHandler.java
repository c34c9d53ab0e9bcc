package dev.conduit.archfixture.api;

/** Fixture for {@code ArchitectureTest}: a class in a top layer. */
public final class ApiHandler {
  public String name() {
    return "handler";
  }
}
