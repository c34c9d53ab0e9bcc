package dev.conduit.api;

import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Ids;
import dev.conduit.keys.Admission;
import dev.conduit.keys.AdmissionTicket;
import dev.conduit.keys.Authenticator;
import dev.conduit.pipeline.CallRecord;
import dev.conduit.pipeline.CallSettler;
import dev.conduit.pipeline.RealtimeSession;
import dev.conduit.pipeline.RealtimeSessions;
import dev.conduit.route.ModelCatalog;
import dev.conduit.route.ModelRoute;
import dev.conduit.store.VirtualKey;
import dev.conduit.web.OpenAiErrorFormat;
import dev.conduit.web.Responses;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/realtime?model=ALIAS}: OpenAI's Realtime API over WebSocket
 * (https://platform.openai.com/docs/guides/realtime-websocket). Everything is checked before the
 * caller's upgrade, so a refusal is an ordinary HTTP error with an OpenAI error body: the virtual
 * key (the {@code Authorization} header, or the {@code openai-insecure-api-key.<key>} subprotocol
 * browsers send because they cannot set headers), the alias and the key's allowed models, the key's
 * address rules, rate limits and budget, and then the provider's own handshake ({@link
 * RealtimeSessions}, which falls back between deployments). Only then is the caller upgraded,
 * answering with the {@code realtime} subprotocol, and the {@link RealtimeSession} relays.
 */
final class RealtimeEndpoint {
  private static final Logger log = LoggerFactory.getLogger(RealtimeEndpoint.class);

  /** The subprotocol a browser puts its key in. */
  static final String KEY_SUBPROTOCOL = "openai-insecure-api-key.";

  /** The subprotocol that asks for the beta Realtime protocol, as the header below does. */
  private static final String BETA_SUBPROTOCOL = "openai-beta.realtime-v1";

  private static final String BETA_HEADER = "OpenAI-Beta";

  private final Authenticator authenticator;
  private final ModelCatalog catalog;
  private final Admission admission;
  private final RealtimeSessions sessions;
  private final CallSettler settler;
  private final Clock clock;
  private final Vertx vertx;

  RealtimeEndpoint(
      Authenticator authenticator,
      ModelCatalog catalog,
      Admission admission,
      RealtimeSessions sessions,
      CallSettler settler,
      Clock clock,
      Vertx vertx) {
    this.authenticator = authenticator;
    this.catalog = catalog;
    this.admission = admission;
    this.sessions = sessions;
    this.settler = settler;
    this.clock = clock;
    this.vertx = vertx;
  }

  /**
   * @param client the caller's address, already screened by the global IP rules
   */
  void handle(HttpServerRequest request, String client, String requestId) {
    if (!request.canUpgradeToWebSocket()) {
      Responses.error(
          request.response(),
          GatewayError.badRequest(
              "websocket_required",
              "/v1/realtime is a WebSocket endpoint: open it with a WebSocket client "
                  + "(GET with Upgrade: websocket).",
              null),
          OpenAiErrorFormat.INSTANCE);
      return;
    }
    // The upgrade is answered once the checks and the provider's handshake are done.
    request.pause();
    CallRecord record =
        new CallRecord(
            Ids.uuid7(), requestId, clock.instant(), System.nanoTime(), Endpoint.REALTIME);
    settler.started();
    VirtualKey key;
    ModelRoute route;
    try {
      key = authenticator.authenticate(credentials(request.headers()));
      record.authenticated(key);
      String model = request.getParam("model");
      if (model == null || model.isBlank()) {
        throw new GatewayException(
            GatewayError.badRequest(
                "missing_required_parameter",
                "Missing required parameter: 'model' (in the query string, /v1/realtime?model=...).",
                "model"));
      }
      record.requested(model, true);
      route =
          catalog
              .find(model)
              .orElseThrow(() -> new GatewayException(GatewayError.modelNotFound(model)));
      record.routed(route.alias());
      if (!key.allows(route.alias())) {
        throw new GatewayException(
            GatewayError.forbidden(
                "model_not_allowed",
                "This API key is not allowed to use model '" + route.alias() + "'."));
      }
    } catch (GatewayException e) {
      reject(record, request, e);
      return;
    }
    Admission.Call call =
        new Admission.Call(
            key,
            client,
            route.alias(),
            ClientApi.servingDeployments(catalog, route),
            Endpoint.REALTIME,
            new byte[0],
            null);
    admission
        .admit(call, vertx)
        .onComplete(
            admitted -> {
              if (admitted.failed()) {
                reject(record, request, admitted.cause());
                return;
              }
              open(call, route, record, admitted.result(), request);
            });
  }

  private void open(
      Admission.Call call,
      ModelRoute route,
      CallRecord record,
      AdmissionTicket ticket,
      HttpServerRequest request) {
    record.admitted(ticket);
    sessions
        .open(call, route, record, ticket, betaHeaders(request.headers()))
        .onComplete(
            opened -> {
              if (opened.failed()) {
                reject(record, request, opened.cause());
                return;
              }
              RealtimeSession session = opened.result();
              request.response().putHeader("X-Provider-Used", session.deployment().id());
              request
                  .toWebSocket()
                  .onComplete(
                      upgraded -> {
                        if (upgraded.succeeded()) {
                          session.start(upgraded.result());
                        } else {
                          log.debug(
                              "Realtime upgrade of {} failed: {}",
                              record.requestId(),
                              upgraded.cause().toString());
                          session.abandon(
                              GatewayError.badRequest(
                                  "websocket_upgrade_failed",
                                  "The WebSocket upgrade failed: " + upgraded.cause().getMessage(),
                                  null));
                        }
                      });
            });
  }

  /**
   * The caller's credentials: its headers, or, when they carry no key, the key a browser put in the
   * {@code openai-insecure-api-key.} subprotocol.
   */
  static MultiMap credentials(MultiMap headers) {
    if (headers.contains(HttpHeaders.AUTHORIZATION) || headers.contains("X-API-Key")) {
      return headers;
    }
    for (String protocol : subprotocols(headers)) {
      if (protocol.startsWith(KEY_SUBPROTOCOL) && protocol.length() > KEY_SUBPROTOCOL.length()) {
        return MultiMap.caseInsensitiveMultiMap()
            .add(
                HttpHeaders.AUTHORIZATION,
                "Bearer " + protocol.substring(KEY_SUBPROTOCOL.length()));
      }
    }
    return headers;
  }

  /** The caller's opt-in to the beta protocol, by header or subprotocol, for the provider. */
  private static MultiMap betaHeaders(MultiMap headers) {
    MultiMap beta = MultiMap.caseInsensitiveMultiMap();
    String header = headers.get(BETA_HEADER);
    if (header != null) {
      beta.add(BETA_HEADER, header);
    } else if (subprotocols(headers).contains(BETA_SUBPROTOCOL)) {
      beta.add(BETA_HEADER, "realtime=v1");
    }
    return beta;
  }

  private static List<String> subprotocols(MultiMap headers) {
    List<String> protocols = new ArrayList<>();
    for (String value : headers.getAll("Sec-WebSocket-Protocol")) {
      for (String protocol : value.split(",")) {
        if (!protocol.isBlank()) {
          protocols.add(protocol.trim());
        }
      }
    }
    return protocols;
  }

  private void reject(CallRecord record, HttpServerRequest request, Throwable failure) {
    GatewayException rejected =
        failure instanceof GatewayException known
            ? known
            : new GatewayException(
                GatewayError.internal(
                    "The gateway failed to handle this request (request id "
                        + record.requestId()
                        + ")."));
    if (!(failure instanceof GatewayException)) {
      log.error("Realtime request {} failed inside the gateway", record.requestId(), failure);
    }
    rejected.headers().forEach(request.response()::putHeader);
    settler.failed(record, rejected.error()); // before the answer ends (see ResponseRelay)
    Responses.error(request.response(), rejected.error(), OpenAiErrorFormat.INSTANCE);
  }
}
