package dev.conduit.core;

/** The kinds of model call the gateway routes. */
public enum Endpoint {
  CHAT_COMPLETIONS("chat/completions"),
  COMPLETIONS("completions"),
  EMBEDDINGS("embeddings"),
  /** Anthropic's Messages API, which the gateway serves at {@code /v1/messages}. */
  MESSAGES("messages"),
  /** OpenAI's Responses API, which the gateway serves at {@code /v1/responses}. */
  RESPONSES("responses"),
  /** OpenAI's moderations, forwarded to OpenAI and Azure OpenAI. */
  MODERATIONS("moderations"),
  /** OpenAI's Realtime API: a WebSocket session at {@code /v1/realtime}, relayed frame by frame. */
  REALTIME("realtime");

  private final String openAiPath;

  Endpoint(String openAiPath) {
    this.openAiPath = openAiPath;
  }

  /**
   * Path under an OpenAI-compatible base URL such as {@code https://api.openai.com/v1} (for {@link
   * #MESSAGES}, under Anthropic's).
   */
  public String openAiPath() {
    return openAiPath;
  }

  /** Whether this is a chat call, which can be translated between protocols. */
  public boolean isChat() {
    return this == CHAT_COMPLETIONS || this == MESSAGES || this == RESPONSES;
  }

  /** Whether the call can be streamed. */
  public boolean streamable() {
    return this != EMBEDDINGS && this != MODERATIONS && this != REALTIME;
  }
}
