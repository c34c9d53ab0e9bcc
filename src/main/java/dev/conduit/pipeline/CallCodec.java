package dev.conduit.pipeline;

import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * How one call is said to one deployment and how its answer is read back in the caller's protocol.
 * Either a same-protocol pass-through (bytes forwarded, model rewritten) or a translation through
 * the canonical model; the pipeline does not care which.
 */
public interface CallCodec {
  /** The request to send. */
  Future<UpstreamRequest> upstreamRequest();

  /**
   * The caller's body for a successful non-streaming upstream body.
   *
   * @throws dev.conduit.provider.InvalidUpstreamResponse when the upstream body cannot be read
   */
  TranslatedBody translateBody(Buffer upstreamBody);

  /**
   * The {@code Content-Type} of the caller's non-streamed answer when the codec passes the
   * upstream's body on as it is (a transcript as text, SRT or VTT): the upstream's. Null (the
   * default): as the {@link TranslatedBody} says.
   */
  default String contentType(MultiMap upstreamHeaders) {
    return null;
  }

  /** A fresh translator for one streamed response. */
  StreamTranslator streamTranslator();

  /** The error the caller sees for a non-2xx upstream response, and its kind. */
  UpstreamError upstreamError(int status, MultiMap headers, Buffer body);
}
