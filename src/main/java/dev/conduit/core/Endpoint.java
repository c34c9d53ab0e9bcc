package dev.conduit.core;

/** The kinds of model call the gateway routes. */
public enum Endpoint {
  CHAT_COMPLETIONS("chat/completions"),
  COMPLETIONS("completions"),
  EMBEDDINGS("embeddings");

  private final String openAiPath;

  Endpoint(String openAiPath) {
    this.openAiPath = openAiPath;
  }

  /** Path under an OpenAI-compatible base URL such as {@code https://api.openai.com/v1}. */
  public String openAiPath() {
    return openAiPath;
  }

  /** Whether the call can be streamed. */
  public boolean streamable() {
    return this != EMBEDDINGS;
  }
}
