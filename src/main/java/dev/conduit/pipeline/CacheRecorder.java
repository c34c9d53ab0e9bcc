package dev.conduit.pipeline;

import dev.conduit.cache.Answers;
import dev.conduit.cache.CacheEntry;
import dev.conduit.cache.ResponseCache;
import dev.conduit.cache.StreamAssembler;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.Endpoint;
import io.vertx.core.buffer.Buffer;

/**
 * Stores the answer of a call the cache missed, once it is complete and successful: a whole body as
 * the caller got it (complete when every choice has a finish reason); a stream as the whole body it
 * adds up to (read back from the events the caller got, so pass-through and translated streams are
 * stored alike). Answers that stopped at the output limit are not stored unless {@code
 * cache.storeTruncated}; with {@code cache.minUses: 2} an answer is stored the second time its
 * request comes. One per call; used on its event loop.
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

  /**
   * The whole answer went to the caller and the call is settled (its cost known). Whether it is
   * complete comes from the codec, which read the body already: it is not parsed again here.
   */
  void wholeAnswered(TranslatedBody answer) {
    if ((call.endpoint() == Endpoint.EMBEDDINGS
            || Answers.storable(answer.finish(), cache.config().storeTruncated()))
        && cache.admits(key)) {
      store(answer.body().getBytes());
    }
  }

  /** The stream ended properly and the call is settled. */
  void streamAnswered() {
    ChatResponse answer = assembler == null ? null : assembler.answer();
    if (answer == null
        || !Answers.storable(answer.finishReason(), cache.config().storeTruncated())
        || !cache.admits(key)) {
      return;
    }
    store(call.dialect().encodeResponse(answer.withUsage(record.usage())).getBytes());
  }

  private void store(byte[] body) {
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
