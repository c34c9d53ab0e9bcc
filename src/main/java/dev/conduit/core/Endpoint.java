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
  /** Speech to text ({@code multipart/form-data}). */
  AUDIO_TRANSCRIPTIONS("audio/transcriptions"),
  /** Speech to English text ({@code multipart/form-data}). */
  AUDIO_TRANSLATIONS("audio/translations"),
  /** Text to speech: the answer is audio bytes, streamed as they come. */
  AUDIO_SPEECH("audio/speech"),
  /** Document reranking in Cohere's shape, which the gateway serves at {@code /v1/rerank}. */
  RERANK("rerank");

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
    return this != EMBEDDINGS;
  }
}
