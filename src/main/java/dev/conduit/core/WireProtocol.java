package dev.conduit.core;

/** The client-facing API dialects the gateway speaks; a provider may speak one natively. */
public enum WireProtocol {
  OPENAI,
  ANTHROPIC
}
