package dev.conduit.api;

import dev.conduit.pipeline.InboundCall;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * How an endpoint with its own wire format (images, audio, moderations, rerank) turns the caller's
 * body into the call to route: the model it asks for, its reservation estimate ({@link
 * InboundCall#units()}, {@link InboundCall#unitVariant()}) and a body rewriter. Registered by
 * endpoint with {@link ClientApi}, which then serves {@code POST /v1/<endpoint path>}: it screens,
 * authenticates and reads the body (within the body limit: 413 beyond), calls the preparer, then
 * admits and runs the call like any other. Runs on the request's event loop: non-blocking.
 */
@FunctionalInterface
public interface CallPreparer {
  /**
   * @param body the caller's whole body
   * @param request the caller's request (headers such as the multipart {@code Content-Type})
   * @param models checks the alias the body asks for; call it before returning
   * @return the call, or a failed future; may also throw {@link dev.conduit.core.GatewayException}
   *     for a body to refuse (its status and OpenAI error body go to the caller)
   */
  Future<InboundCall> prepare(byte[] body, HttpServerRequest request, ModelCheck models);

  /**
   * Checks an alias against the catalog and the caller's key, and notes it on the call's record.
   */
  @FunctionalInterface
  interface ModelCheck {
    /**
     * @param model the alias asked for (null when the body had none: then a 400)
     * @param stream whether the caller asked for a stream
     * @throws dev.conduit.core.GatewayException 400 without a model, 404 for an unknown alias, 403
     *     when the key may not use it
     */
    void check(String model, boolean stream);
  }
}
