package dev.conduit.core;

/** Why the model stopped. */
public enum FinishReason {
  /** It finished its answer. */
  STOP,
  /** It produced one of the caller's stop sequences. */
  STOP_SEQUENCE,
  /** It hit the output token limit (or the context window). */
  LENGTH,
  /** It stopped to let the caller run tools. */
  TOOL_CALLS,
  /** The provider withheld or cut the answer (safety filter, refusal). */
  CONTENT_FILTER
}
