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
  /** Image generation from a prompt (JSON body); priced per image. */
  IMAGE_GENERATIONS("images/generations"),
  /** Image edits (multipart body: image(s), mask, prompt); priced per image. */
  IMAGE_EDITS("images/edits"),
  /** Speech to text (multipart body with the audio file); priced per second of audio. */
  AUDIO_TRANSCRIPTIONS("audio/transcriptions"),
  /** Speech to English text (multipart body with the audio file); priced per second of audio. */
  AUDIO_TRANSLATIONS("audio/translations"),
  /** Text to speech (JSON body, audio bytes back); priced per character. */
  AUDIO_SPEECH("audio/speech"),
  MODERATIONS("moderations"),
  /** Cohere-shaped rerank; priced per search unit. */
  RERANK("rerank"),
  /** OpenAI's realtime WebSocket sessions ({@code GET /v1/realtime}). */
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

  /**
   * Whether the answer is model text counted in output tokens (chat and legacy completions): the
   * gateway counts it itself when the upstream reports no usage, and a budget reserves output
   * tokens for it.
   */
  public boolean producesText() {
    return isChat() || this == COMPLETIONS;
  }

  /** Whether the call can be streamed. */
  public boolean streamable() {
    return producesText() || this == AUDIO_SPEECH || this == AUDIO_TRANSCRIPTIONS;
  }

  /** Whether the response cache may answer the call (deterministic, replayable answers). */
  public boolean cacheable() {
    return producesText() || this == EMBEDDINGS;
  }
}
