package dev.conduit.api;

import dev.conduit.api.openai.OpenAiErrorFormat;
import dev.conduit.api.openai.OpenAiRequestRewriter;
import dev.conduit.api.openai.OpenAiRequestScan;
import dev.conduit.api.openai.OpenAiRequestScanner;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Ids;
import dev.conduit.core.WireProtocol;
import dev.conduit.keys.Admission;
import dev.conduit.keys.AdmissionTicket;
import dev.conduit.keys.Authenticator;
import dev.conduit.keys.VirtualKey;
import dev.conduit.pipeline.CallRecord;
import dev.conduit.pipeline.CallSettler;
import dev.conduit.pipeline.ErrorFormat;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.ProxyPipeline;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.ModelRoute;
import dev.conduit.route.Router;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client API's route table and the OpenAI-compatible model endpoints. Runs on an event loop:
 * everything here is non-blocking.
 */
public final class ClientApi implements Handler<HttpServerRequest> {
  private static final ErrorFormat OPENAI_ERRORS = OpenAiErrorFormat.INSTANCE;
  private static final Logger log = LoggerFactory.getLogger(ClientApi.class);

  private final Authenticator authenticator;
  private final ModelCatalog catalog;
  private final ProxyPipeline pipeline;
  private final CallSettler settler;
  private final ModelsEndpoint models;
  private final OperationsEndpoints operations;
  private final long maxBodyBytes;
  private final Clock clock;
  private final Admission admission;
  private final ClientAddress clientAddress;
  private final Vertx vertx;

  public ClientApi(Authenticator authenticator, ModelCatalog catalog, ProxyPipeline pipeline,
      CallSettler settler, OperationsEndpoints operations, long maxBodyBytes, Clock clock,
      Admission admission, ClientAddress clientAddress, Vertx vertx) {
    this.admission = admission;
    this.clientAddress = clientAddress;
    this.vertx = vertx;
    this.authenticator = authenticator;
    this.catalog = catalog;
    this.pipeline = pipeline;
    this.settler = settler;
    this.models = new ModelsEndpoint(authenticator, catalog);
    this.operations = operations;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String requestId = RequestIds.of(request);
    request.response().putHeader(RequestIds.HEADER, requestId);
    String path = normalise(request.path());
    HttpMethod method = request.method();
    if (!isOperations(path)) {
      try {
        admission.screen(clientAddress.of(request));
      } catch (RequestRejected e) {
        Responses.error(request.response(), e.error(), OPENAI_ERRORS);
        return;
      }
    }
    switch (path) {
      case "/v1/chat/completions", "/chat/completions" ->
          post(request, method, () -> modelCall(request, Endpoint.CHAT_COMPLETIONS, requestId));
      case "/v1/completions", "/completions" ->
          post(request, method, () -> modelCall(request, Endpoint.COMPLETIONS, requestId));
      case "/v1/embeddings", "/embeddings" ->
          post(request, method, () -> modelCall(request, Endpoint.EMBEDDINGS, requestId));
      case "/v1/models", "/models" -> get(request, method, () -> models.list(request));
      case "/health/live", "/health/ready", "/metrics" -> operations.handle(request, path);
      default -> {
        if (path.startsWith("/v1/models/") && path.length() > "/v1/models/".length()) {
          get(request, method, () -> models.get(request, path.substring("/v1/models/".length())));
        } else {
          Responses.error(request.response(), GatewayError.notFound(
              "Unknown path " + request.method() + " " + request.path() + "."), OPENAI_ERRORS);
        }
      }
    }
  }

  private void modelCall(HttpServerRequest request, Endpoint endpoint, String requestId) {
    CallRecord record = new CallRecord(Ids.uuid7(), requestId, clock.instant(), System.nanoTime(),
        endpoint);
    settler.started();
    HttpServerResponse response = request.response();
    VirtualKey key;
    try {
      key = authenticator.authenticate(request.headers());
    } catch (RequestRejected e) {
      reject(record, request, e);
      return;
    }
    record.authenticated(key);
    BodyReader.read(request, maxBodyBytes).onComplete(read -> {
      if (read.failed()) {
        reject(record, request, read.cause() instanceof RequestRejected rejected
            ? rejected
            : new RequestRejected(GatewayError.badRequest("invalid_body",
                "The request body could not be read.", null)));
        return;
      }
      InboundCall call;
      ModelRoute route;
      try {
        call = admit(read.result().getBytes(), endpoint, key, record);
        route = catalog.find(call.model()).orElseThrow();
      } catch (RequestRejected e) {
        reject(record, request, e);
        return;
      } catch (RuntimeException e) {
        failedInside(record, request, requestId, e);
        return;
      }
      admission.admit(new Admission.Call(key, clientAddress.of(request), route, endpoint,
          call.body(), call.maxTokens()), vertx).onComplete(admitted -> {
            if (admitted.failed()) {
              if (admitted.cause() instanceof RequestRejected rejected) {
                reject(record, request, rejected);
              } else {
                failedInside(record, request, requestId, admitted.cause());
              }
              return;
            }
            AdmissionTicket ticket = admitted.result();
            record.admitted(ticket);
            ticket.headers().forEach(response::putHeader);
            try {
              pipeline.run(call, route, record, response, OPENAI_ERRORS);
            } catch (Router.NoDeploymentAvailable e) {
              reject(record, request, new RequestRejected(e.error()));
            } catch (RuntimeException e) {
              failedInside(record, request, requestId, e);
            }
          });
    });
  }

  private void failedInside(CallRecord record, HttpServerRequest request, String requestId,
      Throwable failure) {
    log.error("Request {} failed inside the gateway", requestId, failure);
    reject(record, request, new RequestRejected(GatewayError.internal(
        "The gateway failed to handle this request (request id " + requestId + ").")));
  }

  /** Checks what can be checked before any upstream call; throws {@link RequestRejected}. */
  private InboundCall admit(byte[] body, Endpoint endpoint, VirtualKey key, CallRecord record) {
    OpenAiRequestScan scan = OpenAiRequestScanner.scan(body);
    boolean stream = scan.stream() && endpoint.streamable();
    record.requested(scan.model(), stream);
    GatewayError missing = scan.missingField(requiredFields(endpoint));
    if (missing != null) {
      throw new RequestRejected(missing);
    }
    ModelRoute route = catalog.find(scan.model())
        .orElseThrow(() -> new RequestRejected(GatewayError.modelNotFound(scan.model())));
    record.routed(route.alias());
    if (!key.allows(route.alias())) {
      throw new RequestRejected(GatewayError.forbidden("model_not_allowed",
          "This API key is not allowed to use model '" + route.alias() + "'."));
    }
    return new InboundCall(WireProtocol.OPENAI, endpoint, body, scan.model(), stream,
        scan.includeUsage(), scan.maxTokens(),
        (upstreamModel, forceUsage) ->
            OpenAiRequestRewriter.rewrite(body, scan, upstreamModel, forceUsage));
  }

  private static String[] requiredFields(Endpoint endpoint) {
    return switch (endpoint) {
      case CHAT_COMPLETIONS -> new String[] {"messages"};
      case COMPLETIONS -> new String[] {"prompt"};
      case EMBEDDINGS -> new String[] {"input"};
    };
  }

  private void reject(CallRecord record, HttpServerRequest request, RequestRejected rejected) {
    GatewayError error = rejected.error();
    rejected.headers().forEach(request.response()::putHeader);
    if (error.status() == 413) {
      // The rest of an oversized body is not worth reading: answer, then hang up.
      request.response().putHeader(HttpHeaders.CONNECTION, "close");
      request.response().endHandler(v -> request.connection().close());
    }
    Responses.error(request.response(), error, OPENAI_ERRORS);
    settler.failed(record, error);
  }

  private static void post(HttpServerRequest request, HttpMethod method, Runnable handler) {
    only(HttpMethod.POST, request, method, handler);
  }

  private static void get(HttpServerRequest request, HttpMethod method, Runnable handler) {
    only(HttpMethod.GET, request, method, handler);
  }

  private static void only(HttpMethod allowed, HttpServerRequest request, HttpMethod method,
      Runnable handler) {
    if (method.equals(allowed)) {
      handler.run();
    } else {
      request.response().putHeader(HttpHeaders.ALLOW, allowed.name());
      Responses.error(request.response(), new GatewayError(405, "invalid_request_error",
          "method_not_allowed", "Use " + allowed.name() + " for " + request.path() + ".", null),
          OPENAI_ERRORS);
    }
  }

  private static boolean isOperations(String path) {
    return path.equals("/health/live") || path.equals("/health/ready") || path.equals("/metrics");
  }

  private static String normalise(String path) {
    if (path.length() > 1 && path.endsWith("/")) {
      return path.substring(0, path.length() - 1);
    }
    return path;
  }

}
