package dev.conduit.pipeline;

import dev.conduit.core.Endpoint;
import dev.conduit.core.Units;
import dev.conduit.core.WireProtocol;
import io.vertx.core.buffer.Buffer;

/**
 * A model request as the caller sent it, read just enough to route it.
 *
 * @param protocol the caller's API dialect
 * @param endpoint what kind of call it is
 * @param body the caller's body, untouched
 * @param model the alias asked for
 * @param stream whether the caller asked for a stream
 * @param callerWantsUsage whether the caller asked for usage in the stream
 * @param maxTokens the output limit the caller set, if any
 * @param rewriter re-targets the body at a same-protocol deployment
 * @param dialect decodes and encodes the caller's protocol when the call is translated
 * @param units the non-token units the call will consume at most (images asked for, characters to
 *     speak...), which a spend-limited key reserves; null for token-only calls
 * @param unitVariant the price variant of those units (for images {@code SIZE/QUALITY}, such as
 *     {@code 1024x1024/hd}); null for the plain unit price. The call is charged at this variant.
 */
public record InboundCall(
    WireProtocol protocol,
    Endpoint endpoint,
    byte[] body,
    String model,
    boolean stream,
    boolean callerWantsUsage,
    Long maxTokens,
    BodyRewriter rewriter,
    ClientDialect dialect,
    Units units,
    String unitVariant) {

  /** A token-only call. */
  public InboundCall(
      WireProtocol protocol,
      Endpoint endpoint,
      byte[] body,
      String model,
      boolean stream,
      boolean callerWantsUsage,
      Long maxTokens,
      BodyRewriter rewriter,
      ClientDialect dialect) {
    this(
        protocol,
        endpoint,
        body,
        model,
        stream,
        callerWantsUsage,
        maxTokens,
        rewriter,
        dialect,
        null,
        null);
  }

  /** What to do with a streaming body's {@code stream_options.include_usage}. */
  public enum StreamUsageOption {
    /** Leave the body as the caller sent it. */
    AS_SENT,
    /** Ask the upstream for usage even if the caller did not. */
    FORCE,
    /** Remove {@code stream_options}: the upstream refuses it. */
    REMOVE
  }

  /** Rewrites the caller's body for a same-protocol upstream, without re-encoding it. */
  @FunctionalInterface
  public interface BodyRewriter {
    /**
     * @param upstreamModel the deployment's model name
     * @param streamUsage what to do with the stream usage option
     */
    Buffer rewrite(String upstreamModel, StreamUsageOption streamUsage);
  }
}
