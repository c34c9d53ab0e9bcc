package dev.conduit.core;

/**
 * One piece of a streamed answer in the gateway's own model. Stream parsers turn provider events
 * into these; stream encoders turn them into the caller's events. A parser that meets something it
 * does not recognise emits {@link Unknown} rather than failing, so new provider event types never
 * break a stream.
 */
public sealed interface StreamChunk
    permits StreamChunk.Start,
        StreamChunk.TextDelta,
        StreamChunk.ToolCallDelta,
        StreamChunk.ReasoningDelta,
        StreamChunk.UsageUpdate,
        StreamChunk.Finish,
        StreamChunk.Failure,
        StreamChunk.Unknown {

  /**
   * The answer began. Optional: encoders cope with a stream that starts with a delta.
   *
   * @param id the provider's response id; may be null
   * @param model the model that answers; may be null
   */
  record Start(String id, String model) implements StreamChunk {}

  /** More answer text. */
  record TextDelta(String text) implements StreamChunk {}

  /**
   * A piece of a tool call. The first piece of each call carries its {@code id} and {@code name};
   * later pieces carry only argument text to append.
   *
   * @param index the call's position among this answer's tool calls, from 0 (not the provider's
   *     content block index)
   * @param id the call's id on its first piece, else null
   * @param name the function's name on its first piece, else null
   * @param arguments a fragment of the arguments' JSON text; may be empty
   */
  record ToolCallDelta(int index, String id, String name, String arguments)
      implements StreamChunk {}

  /**
   * More reasoning text (or its signature, which some providers send at the end).
   *
   * @param text reasoning text; may be empty
   * @param signature a signature fragment; may be null
   */
  record ReasoningDelta(String text, String signature) implements StreamChunk {}

  /**
   * Token counts so far. Cumulative: each update replaces the previous one, and the last is the
   * request's usage.
   */
  record UsageUpdate(Usage usage) implements StreamChunk {}

  /**
   * The model stopped. Usage may still follow.
   *
   * @param reason why
   * @param stopSequence the stop sequence that ended it, when known
   */
  record Finish(FinishReason reason, String stopSequence) implements StreamChunk {}

  /** The provider reported an error in the middle of the stream. */
  record Failure(GatewayError error) implements StreamChunk {}

  /**
   * Something the parser does not recognise (a new event type, a new delta type), carried rather
   * than dropped or failed on.
   *
   * @param type the provider's name for it
   * @param data its raw data
   */
  record Unknown(String type, String data) implements StreamChunk {}
}
