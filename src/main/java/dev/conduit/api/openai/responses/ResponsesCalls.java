package dev.conduit.api.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.api.openai.OpenAiRequestRewriter;
import dev.conduit.api.openai.OpenAiRequestScan;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.WireProtocol;
import dev.conduit.pipeline.CallCodec;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.InboundCall.StreamUsageOption;
import dev.conduit.pipeline.TranslatingCodec;
import dev.conduit.route.Deployment;
import dev.conduit.store.StoredResponse;
import dev.conduit.store.VirtualKey;
import io.vertx.core.Future;

/**
 * Turns an admitted-to-be {@code POST /v1/responses} body into the pipeline's {@link InboundCall}:
 * finds the stored response a {@code previous_response_id} continues (the caller's key's own, else
 * 404), and gives the call its conversation. Also picks each attempt's codec: the pass-through for
 * providers with a Responses API of their own, else the translation. Runs on the call's event loop;
 * the lookup runs on a worker.
 */
public final class ResponsesCalls {
  private final ResponsesStore store;
  private final ItemIds ids;

  public ResponsesCalls(ResponsesStore store) {
    this(store, ItemIds.RANDOM);
  }

  ResponsesCalls(ResponsesStore store, ItemIds ids) {
    this.store = store;
    this.ids = ids;
  }

  /**
   * The call for {@code body}; fails with a {@link GatewayException} (400 for a body that cannot be
   * read, 404 for an unknown {@code previous_response_id}).
   */
  public Future<InboundCall> prepare(byte[] body, OpenAiRequestScan scan, VirtualKey key) {
    ResponsesRequest request;
    try {
      request = ResponsesRequest.parse(body);
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
    String keyId = key == null ? null : key.id();
    String previousId = request.previousResponseId();
    Future<StoredResponse> previous =
        previousId == null || keyId == null
            ? Future.succeededFuture()
            : store
                .find(previousId, keyId)
                .compose(
                    found ->
                        found != null
                            ? Future.succeededFuture(found)
                            : Future.failedFuture(notFound(previousId)));
    return previous.map(found -> call(body, scan, request, found, keyId));
  }

  private InboundCall call(
      byte[] body,
      OpenAiRequestScan scan,
      ResponsesRequest request,
      StoredResponse previous,
      String keyId) {
    ResponseMeta meta = new ResponseMeta(ids.next("resp"), store.nowSeconds(), request.root());
    ResponsesTurn turn = new ResponsesTurn(request, previous, keyId, store, meta);
    // What admission estimates the prompt from: the whole conversation, earlier turns included.
    byte[] prompt =
        previous == null ? body : request.expanded(turn.conversation(), scan.model()).getBytes();
    JsonNode maxOutput = request.root().path("max_output_tokens");
    return new InboundCall(
        WireProtocol.OPENAI,
        Endpoint.RESPONSES,
        prompt,
        scan.model(),
        scan.stream(),
        true,
        maxOutput.isIntegralNumber() ? maxOutput.asLong() : null,
        (upstreamModel, usage) ->
            OpenAiRequestRewriter.rewrite(body, scan, upstreamModel, StreamUsageOption.AS_SENT),
        new ResponsesDialect(turn, ids));
  }

  /**
   * The codec for one attempt of a Responses call at a same-protocol deployment: forwarded when the
   * provider has a Responses API, else translated through Chat Completions.
   */
  public static CallCodec codec(InboundCall call, Deployment deployment) {
    return deployment.provider().adapter().servesResponses()
        ? new ResponsesPassthrough(call, deployment)
        : new TranslatingCodec(call, deployment);
  }

  static GatewayException notFound(String id) {
    return new GatewayException(
        new GatewayError(
            404,
            "invalid_request_error",
            "previous_response_not_found",
            "Previous response with id '" + id + "' not found.",
            "previous_response_id"));
  }
}
