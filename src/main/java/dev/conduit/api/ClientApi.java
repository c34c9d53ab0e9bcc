package dev.conduit.api;

import dev.conduit.api.anthropic.AnthropicErrors;
import dev.conduit.api.openai.OpenAiRequestScan;
import dev.conduit.api.openai.responses.ResponsesCalls;
import dev.conduit.api.openai.responses.ResponsesEndpoint;
import dev.conduit.api.openai.responses.ResponsesErrors;
import dev.conduit.cache.CacheControl;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Ids;
import dev.conduit.keys.Admission;
import dev.conduit.keys.AdmissionTicket;
import dev.conduit.keys.Authenticator;
import dev.conduit.pipeline.CallRecord;
import dev.conduit.pipeline.CallSettler;
import dev.conduit.pipeline.ErrorFormat;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.ProxyPipeline;
import dev.conduit.pipeline.RealtimeSessions;
import dev.conduit.route.Deployment;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.ModelRoute;
import dev.conduit.store.VirtualKey;
import dev.conduit.web.OpenAiErrorFormat;
import dev.conduit.web.OperationsEndpoints;
import dev.conduit.web.RequestIds;
import dev.conduit.web.Responses;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client API's route table: the OpenAI-compatible model endpoints (OpenAI's Responses API
 * included) and Anthropic's {@code /v1/messages}. A model request is screened (IP filters),
 * authenticated, read and scanned, then admitted once ({@link Admission}: key allowlist, rate
 * limits, budget reservation) before the pipeline runs it. Runs on an event loop: everything here
 * is non-blocking.
 */
public final class ClientApi implements Handler<HttpServerRequest> {
  private static final ErrorFormat OPENAI_ERRORS = OpenAiErrorFormat.INSTANCE;
  private static final ErrorFormat ANTHROPIC_ERRORS = AnthropicErrors.INSTANCE;
  private static final Logger log = LoggerFactory.getLogger(ClientApi.class);
  private static final String RESPONSES_PATH = "/v1/responses/";

  private final Authenticator authenticator;
  private final ModelCatalog catalog;
  private final ProxyPipeline pipeline;
  private final CallSettler settler;
  private final ModelsEndpoint models;
  private final OperationsEndpoints operations;
  private final long maxBodyBytes;
  private final BodyBytesInFlight bodiesInFlight;
  private final Clock clock;
  private final Admission admission;
  private final ClientAddress clientAddress;
  private final Vertx vertx;
  private final ResponsesCalls responses;
  private final ResponsesEndpoint storedResponses;
  private final CallIntake intake;
  private final Map<Endpoint, CallPreparer> preparers;
  private final Map<String, Endpoint> preparedPaths = new HashMap<>();
  private final RealtimeEndpoint realtime;

  /**
   * @param responses prepares {@code /v1/responses} calls (their stored conversations)
   * @param storedResponses serves {@code /v1/responses/{id}}
   * @param preparers the endpoints with their own wire format (images, audio, rerank...), each
   *     served at {@code POST /v1/<its path>} (and without {@code /v1})
   * @param realtimeSessions opens the provider side of {@code /v1/realtime} sessions
   */
  public ClientApi(
      Authenticator authenticator,
      ModelCatalog catalog,
      ProxyPipeline pipeline,
      CallSettler settler,
      OperationsEndpoints operations,
      long maxBodyBytes,
      BodyBytesInFlight bodiesInFlight,
      Clock clock,
      Admission admission,
      ClientAddress clientAddress,
      Vertx vertx,
      ResponsesCalls responses,
      ResponsesEndpoint storedResponses,
      Map<Endpoint, CallPreparer> preparers,
      RealtimeSessions realtimeSessions) {
    this.realtime =
        new RealtimeEndpoint(
            authenticator, catalog, admission, realtimeSessions, settler, clock, vertx);
    this.preparers = Map.copyOf(preparers);
    for (Endpoint endpoint : this.preparers.keySet()) {
      preparedPaths.put("/v1/" + endpoint.openAiPath(), endpoint);
      preparedPaths.put("/" + endpoint.openAiPath(), endpoint);
    }
    this.responses = responses;
    this.storedResponses = storedResponses;
    this.intake = new CallIntake(catalog);
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
    this.bodiesInFlight = bodiesInFlight;
    this.clock = clock;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String requestId = RequestIds.of(request);
    request.response().putHeader(RequestIds.HEADER, requestId);
    String path = normalise(request.path());
    HttpMethod method = request.method();
    String client = null;
    if (!isOperations(path)) {
      client = clientAddress.of(request);
      try {
        admission.screen(client);
      } catch (GatewayException e) {
        Responses.error(
            request.response(),
            e.error(),
            path.startsWith("/v1/messages") ? ANTHROPIC_ERRORS : OPENAI_ERRORS);
        return;
      }
    }
    String caller = client;
    switch (path) {
      case "/v1/chat/completions", "/chat/completions" ->
          post(
              request,
              method,
              () -> modelCall(request, caller, Endpoint.CHAT_COMPLETIONS, requestId));
      case "/v1/completions", "/completions" ->
          post(request, method, () -> modelCall(request, caller, Endpoint.COMPLETIONS, requestId));
      case "/v1/embeddings", "/embeddings" ->
          post(request, method, () -> modelCall(request, caller, Endpoint.EMBEDDINGS, requestId));
      case "/v1/moderations", "/moderations" ->
          post(request, method, () -> modelCall(request, caller, Endpoint.MODERATIONS, requestId));
      case "/v1/messages" ->
          only(
              HttpMethod.POST,
              request,
              method,
              () -> modelCall(request, caller, Endpoint.MESSAGES, requestId),
              ANTHROPIC_ERRORS);
      case "/v1/responses", "/responses" ->
          post(request, method, () -> modelCall(request, caller, Endpoint.RESPONSES, requestId));
      case "/v1/realtime", "/realtime" ->
          get(request, method, () -> realtime.handle(request, caller, requestId));
      case "/v1/models", "/models" -> get(request, method, () -> models.list(request));
      case "/health/live", "/health/ready", "/metrics" -> operations.handle(request, path);
      default -> {
        if (path.startsWith("/v1/models/") && path.length() > "/v1/models/".length()) {
          get(request, method, () -> models.get(request, path.substring("/v1/models/".length())));
        } else if (preparedPaths.containsKey(path)) {
          Endpoint endpoint = preparedPaths.get(path);
          post(request, method, () -> modelCall(request, caller, endpoint, requestId));
        } else if (path.startsWith(RESPONSES_PATH) && path.length() > RESPONSES_PATH.length()) {
          storedResponses.handle(request, path.substring(RESPONSES_PATH.length()));
        } else {
          Responses.error(
              request.response(),
              GatewayError.notFound(
                  "Unknown path " + request.method() + " " + request.path() + "."),
              path.startsWith("/v1/messages/") ? ANTHROPIC_ERRORS : OPENAI_ERRORS);
        }
      }
    }
  }

  /**
   * @param client the caller's address, as screened by the IP rules
   */
  private void modelCall(
      HttpServerRequest request, String client, Endpoint endpoint, String requestId) {
    CallRecord record =
        new CallRecord(Ids.uuid7(), requestId, clock.instant(), System.nanoTime(), endpoint);
    ErrorFormat errors =
        switch (endpoint) {
          case MESSAGES -> ANTHROPIC_ERRORS;
          case RESPONSES -> ResponsesErrors.INSTANCE;
          default -> OPENAI_ERRORS;
        };
    settler.started();
    VirtualKey key;
    try {
      key = authenticator.authenticate(request.headers());
    } catch (GatewayException e) {
      reject(record, request, e, errors);
      return;
    }
    record.authenticated(key);
    BodyBytesInFlight.Share body = bodiesInFlight.share();
    record.onSettled(body::release); // the body is held until the call is over
    BodyReader.read(request, maxBodyBytes, body)
        .onComplete(
            read -> {
              if (read.failed()) {
                reject(
                    record,
                    request,
                    read.cause() instanceof GatewayException rejected
                        ? rejected
                        : new GatewayException(
                            GatewayError.badRequest(
                                "invalid_body", "The request body could not be read.", null)),
                    errors);
                return;
              }
              Future<InboundCall> inbound;
              try {
                byte[] bytes = read.result().getBytes();
                CallPreparer preparer = preparers.get(endpoint);
                if (preparer != null) {
                  inbound =
                      preparer.prepare(
                          bytes,
                          request,
                          (model, stream) -> intake.checkModel(model, stream, key, record));
                } else {
                  OpenAiRequestScan scan = intake.check(bytes, endpoint, key, record);
                  inbound =
                      endpoint == Endpoint.RESPONSES
                          ? responses.prepare(bytes, scan, key)
                          : Future.succeededFuture(CallIntake.inbound(bytes, endpoint, scan));
                }
              } catch (GatewayException e) {
                reject(record, request, e, errors);
                return;
              } catch (RuntimeException e) {
                failedInside(record, request, requestId, e, errors);
                return;
              }
              inbound.onComplete(
                  prepared -> {
                    if (prepared.succeeded()) {
                      admit(prepared.result(), key, client, record, request, requestId, errors);
                    } else if (prepared.cause() instanceof GatewayException rejected) {
                      reject(record, request, rejected, errors);
                    } else {
                      failedInside(record, request, requestId, prepared.cause(), errors);
                    }
                  });
            });
  }

  /** Admits a call (limits, budget reservation), then runs it. */
  private void admit(
      InboundCall call,
      VirtualKey key,
      String client,
      CallRecord record,
      HttpServerRequest request,
      String requestId,
      ErrorFormat errors) {
    ModelRoute route;
    try {
      route = catalog.find(call.model()).orElseThrow();
    } catch (RuntimeException e) {
      failedInside(record, request, requestId, e, errors);
      return;
    }
    admission
        .admit(
            new Admission.Call(
                key,
                client,
                route.alias(),
                servingDeployments(route),
                call.endpoint(),
                call.body(),
                call.maxTokens(),
                call.units(),
                call.unitVariant()),
            vertx)
        .onComplete(admitted -> run(admitted, call, route, record, request, requestId, errors));
  }

  /** Runs an admitted call through the pipeline, or answers why it was not admitted. */
  private void run(
      AsyncResult<AdmissionTicket> admitted,
      InboundCall call,
      ModelRoute route,
      CallRecord record,
      HttpServerRequest request,
      String requestId,
      ErrorFormat errors) {
    if (admitted.failed()) {
      if (admitted.cause() instanceof GatewayException rejected) {
        reject(record, request, rejected, errors);
      } else {
        failedInside(record, request, requestId, admitted.cause(), errors);
      }
      return;
    }
    AdmissionTicket ticket = admitted.result();
    record.admitted(ticket);
    record.unitVariant(call.unitVariant());
    ticket.headers().forEach(request.response()::putHeader);
    try {
      pipeline.run(
          call,
          route,
          record,
          request.response(),
          errors,
          CacheControl.parse(request.getHeader(HttpHeaders.CACHE_CONTROL)));
    } catch (GatewayException e) {
      reject(record, request, e, errors);
    } catch (RuntimeException e) {
      failedInside(record, request, requestId, e, errors);
    }
  }

  private List<Deployment> servingDeployments(ModelRoute route) {
    return servingDeployments(catalog, route);
  }

  /** The deployments that may serve {@code route}: its own, then its fallback aliases'. */
  static List<Deployment> servingDeployments(ModelCatalog catalog, ModelRoute route) {
    if (route.fallbacks().isEmpty()) {
      return route.deployments();
    }
    List<Deployment> all = new ArrayList<>(route.deployments());
    for (String fallback : route.fallbacks()) {
      catalog.find(fallback).ifPresent(other -> all.addAll(other.deployments()));
    }
    return all;
  }

  private void failedInside(
      CallRecord record,
      HttpServerRequest request,
      String requestId,
      Throwable failure,
      ErrorFormat errors) {
    log.error("Request {} failed inside the gateway", requestId, failure);
    reject(
        record,
        request,
        new GatewayException(
            GatewayError.internal(
                "The gateway failed to handle this request (request id " + requestId + ").")),
        errors);
  }

  private void reject(
      CallRecord record, HttpServerRequest request, GatewayException rejected, ErrorFormat errors) {
    GatewayError error = rejected.error();
    rejected.headers().forEach(request.response()::putHeader);
    if (error.status() == 413 || BodyBytesInFlight.isFull(error) && !request.isEnded()) {
      // The rest of a body refused is not worth reading: answer, then hang up.
      request.response().putHeader(HttpHeaders.CONNECTION, "close");
      request.response().endHandler(v -> request.connection().close());
    }
    settler.failed(record, error);
    Responses.error(request.response(), error, errors);
  }

  private static void post(HttpServerRequest request, HttpMethod method, Runnable handler) {
    only(HttpMethod.POST, request, method, handler, OPENAI_ERRORS);
  }

  private static void get(HttpServerRequest request, HttpMethod method, Runnable handler) {
    only(HttpMethod.GET, request, method, handler, OPENAI_ERRORS);
  }

  private static void only(
      HttpMethod allowed,
      HttpServerRequest request,
      HttpMethod method,
      Runnable handler,
      ErrorFormat errors) {
    if (method.equals(allowed)) {
      handler.run();
    } else {
      request.response().putHeader(HttpHeaders.ALLOW, allowed.name());
      Responses.error(
          request.response(),
          new GatewayError(
              405,
              "invalid_request_error",
              "method_not_allowed",
              "Use " + allowed.name() + " for " + request.path() + ".",
              null),
          errors);
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
