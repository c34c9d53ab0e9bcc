package dev.conduit.api.openai.responses;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.pipeline.ClientDialect;
import dev.conduit.pipeline.ErrorFormat;
import dev.conduit.pipeline.StreamEncoder;
import io.vertx.core.buffer.Buffer;

/**
 * The Responses protocol ({@code /v1/responses}) for translated calls. One per call (used on its
 * event loop), unlike the other dialects: it carries the call's conversation ({@link
 * ResponsesTurn}), so that a decoded request includes the stored earlier turns and an encoded
 * answer is stored for the next one.
 */
public final class ResponsesDialect implements ClientDialect {
  private final ResponsesTurn turn;
  private final ItemIds ids;

  ResponsesDialect(ResponsesTurn turn, ItemIds ids) {
    this.turn = turn;
    this.ids = ids;
  }

  ResponsesTurn turn() {
    return turn;
  }

  /** Decodes the call's request with its conversation; {@code body} is the same request. */
  @Override
  public ChatRequest decodeChat(byte[] body) {
    return ResponsesRequestDecoder.decode(turn.request(), turn.conversation());
  }

  @Override
  public Buffer encodeResponse(ChatResponse response) {
    var encoded = ResponsesResponseEncoder.encode(response, turn.meta(), ids);
    turn.storeTranslated(encoded);
    return Buffer.buffer(encoded.toString());
  }

  /** Responses streams always end with the usage, so {@code includeUsage} does not matter. */
  @Override
  public StreamEncoder newStreamEncoder(boolean includeUsage) {
    return new ResponsesStreamEncoder(turn.meta(), ids, turn::storeTranslated);
  }

  @Override
  public ErrorFormat errors() {
    return ResponsesErrors.INSTANCE;
  }
}
