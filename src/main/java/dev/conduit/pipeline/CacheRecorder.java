package dev.conduit.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.cache.Answers;
import dev.conduit.cache.CacheEntry;
import dev.conduit.cache.ResponseCache;
import dev.conduit.cache.StreamAssembler;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Json;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * Stores the answer of a call the cache missed, once it is complete and successful: a whole body as
 * the caller got it; a stream as the whole body it adds up to (read back from the events the caller
 * got, so pass-through and translated streams are stored alike). Answers that stopped at the output
 * limit are not stored unless {@code cache.storeTruncated}. One per call; used on its event loop.
 */
final class CacheRecorder {
  private final ResponseCache cache;
  private final String key;
  private final InboundCall call;
  private final CallRecord record;
  private final StreamAssembler assembler;

  CacheRecorder(ResponseCache cache, String key, InboundCall call, CallRecord record) {
    this.cache = cache;
    this.key = key;
    this.call = call;
    this.record = record;
    this.assembler = call.stream() ? new StreamAssembler(call.protocol()) : null;
  }

  /** Bytes of the stream as they went to the caller. */
  void streamed(Buffer bytes) {
    if (assembler != null) {
      assembler.feed(bytes);
    }
  }

  /** The whole answer went to the caller and the call is settled (its cost known). */
  void wholeAnswered(Buffer body) {
    String text = body.toString();
    if (complete(text)) {
      store(text);
    }
  }

  /** The stream ended properly and the call is settled. */
  void streamAnswered() {
    ChatResponse answer = assembler == null ? null : assembler.answer();
    if (answer == null
        || !Answers.storable(answer.finishReason(), cache.config().storeTruncated())) {
      return;
    }
    store(call.dialect().encodeResponse(answer.withUsage(record.usage())).toString());
  }

  private boolean complete(String body) {
    boolean truncatedOk = cache.config().storeTruncated();
    if (call.endpoint() == Endpoint.EMBEDDINGS) {
      return true;
    }
    if (call.endpoint().isChat()) {
      try {
        return Answers.storable(Answers.read(call.protocol(), body).finishReason(), truncatedOk);
      } catch (RuntimeException e) {
        return false;
      }
    }
    try {
      JsonNode choices = Json.MAPPER.readTree(body).path("choices");
      if (choices.isEmpty()) {
        return false;
      }
      for (JsonNode choice : choices) {
        String reason = choice.path("finish_reason").asText("");
        if (reason.isEmpty() || (reason.equals("length") && !truncatedOk)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void store(String body) {
    String alias = record.routedModel();
    cache.store(
        new CacheEntry(
            key,
            alias,
            record.key() == null ? null : record.key().id(),
            call.endpoint(),
            cache.nowMillis(),
            cache.expiresAt(alias),
            record.usage(),
            record.costNanos(),
            body));
  }
}
