package dev.conduit.assembly;

import dev.conduit.api.BodyBytesInFlight;
import dev.conduit.api.CallPreparer;
import dev.conduit.api.ClientAddress;
import dev.conduit.api.ClientApi;
import dev.conduit.api.ClientApiVerticle;
import dev.conduit.api.anthropic.AnthropicPassthrough;
import dev.conduit.api.openai.OpenAiEmbeddingsCodec;
import dev.conduit.api.openai.OpenAiModerations;
import dev.conduit.api.openai.OpenAiPassthrough;
import dev.conduit.api.openai.audio.OpenAiAudio;
import dev.conduit.api.openai.images.ImageCalls;
import dev.conduit.api.openai.images.ImagesCodec;
import dev.conduit.api.openai.responses.ResponsesCalls;
import dev.conduit.api.openai.responses.ResponsesEndpoint;
import dev.conduit.api.openai.responses.ResponsesStore;
import dev.conduit.api.rerank.RerankCalls;
import dev.conduit.config.RoutingConfig;
import dev.conduit.config.ServerConfig;
import dev.conduit.core.Endpoint;
import dev.conduit.core.Tokenizer;
import dev.conduit.core.WireProtocol;
import dev.conduit.observe.ListenerMeters;
import dev.conduit.pipeline.CallCodecs;
import dev.conduit.pipeline.CallSettler;
import dev.conduit.pipeline.CallsInFlight;
import dev.conduit.pipeline.ProxyPipeline;
import dev.conduit.pipeline.RealtimeSessions;
import dev.conduit.pipeline.Resilience;
import dev.conduit.pipeline.ResponseCaching;
import dev.conduit.pipeline.RetryTimer;
import dev.conduit.provider.UpstreamClient;
import dev.conduit.provider.UpstreamWebSockets;
import dev.conduit.route.Deployment;
import dev.conduit.route.RetryPolicy;
import dev.conduit.store.StoredResponseRepository;
import dev.conduit.web.ConnectionGuard;
import dev.conduit.web.ListenerLimits;
import dev.conduit.web.OperationsEndpoints;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client API listener: one verticle per event loop, each with its own upstream client and
 * pipeline, so a request and its upstream call stay on one thread.
 */
final class ClientApiModule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClientApiModule.class);

  /** After the drain timeout, how long the error events that end cut streams get to go out. */
  private static final long CUT_FLUSH_MS = 2_000;

  /** The model calls being served, across event loops: a stop ends those left at its timeout. */
  final CallsInFlight callsInFlight = new CallsInFlight();

  /** The listening port (the actual one when configured as 0). */
  final int port;

  private final Platform platform;
  private final List<LoopClient> loopClients = new CopyOnWriteArrayList<>();
  private final String deploymentId;

  ClientApiModule(
      Platform platform,
      KeysModule keys,
      PricingModule pricing,
      RoutingModule routing,
      ObservabilityModule observe,
      AdmissionModule admission,
      CacheModule cache,
      RetryTimer retryTimer)
      throws Exception {
    this.platform = platform;
    ServerConfig server = platform.config.server();
    RoutingConfig routingConfig = platform.config.routing();
    // Counting tokens (when a provider reports none) must never load the tokenizer on an event
    // loop: load it now, off the loops.
    platform.vertx.executeBlocking(
        () -> {
          Tokenizer.preload();
          return null;
        },
        false);
    // Endpoints with their own wire format (images, audio, moderations, rerank): how the caller's
    // body becomes a call, and how a call is said to each deployment. One entry per endpoint.
    Map<Endpoint, CallPreparer> preparers = new EnumMap<>(Endpoint.class);
    Map<Endpoint, CallCodecs.Factory> endpointCodecs = new EnumMap<>(Endpoint.class);
    OpenAiAudio.register(preparers, endpointCodecs);
    RerankCalls.register(preparers, endpointCodecs);
    preparers.put(Endpoint.IMAGE_GENERATIONS, ImageCalls.GENERATIONS);
    preparers.put(Endpoint.IMAGE_EDITS, ImageCalls.EDITS);
    CallCodecs.Factory images =
        (call, deployment) -> new ImagesCodec(call, deployment, platform.clock);
    endpointCodecs.put(Endpoint.IMAGE_GENERATIONS, images);
    endpointCodecs.put(Endpoint.IMAGE_EDITS, images);
    endpointCodecs.put(Endpoint.MODERATIONS, OpenAiModerations::codec);
    CallCodecs codecs =
        new CallCodecs(
            Map.of(
                WireProtocol.OPENAI,
                (call, deployment) ->
                    call.endpoint() == Endpoint.RESPONSES
                        ? ResponsesCalls.codec(call, deployment)
                        : new OpenAiPassthrough(call, deployment),
                WireProtocol.ANTHROPIC,
                AnthropicPassthrough::new),
            Map.of(WireProtocol.OPENAI, OpenAiEmbeddingsCodec::new),
            endpointCodecs);
    CallSettler settler = new CallSettler(platform.metrics, observe.requestLog, pricing.table);
    ResponsesStore storedResponses =
        new ResponsesStore(
            platform.vertx,
            new StoredResponseRepository(platform.database),
            platform.clock,
            ResponsesStore.DEFAULT_TTL);
    ResponsesCalls responses = new ResponsesCalls(storedResponses);
    ResponsesEndpoint responsesEndpoint =
        new ResponsesEndpoint(keys.authenticator, storedResponses);
    ResponseCaching caching = cache.step(settler);
    Resilience resilience =
        new Resilience(
            new RetryPolicy(
                routingConfig.retryBaseDelayMs(),
                routingConfig.retryMaxDelayMs(),
                routingConfig.maxRetryAfterMs(),
                platform.clock),
            retryTimer,
            routing.providerHealth,
            platform.metrics,
            routingConfig.deadlineMs());
    ClientAddress clientAddress = new ClientAddress(server.trustedProxies());
    BodyBytesInFlight bodiesInFlight = new BodyBytesInFlight(server.maxBodyBytesInFlight());
    Gauge.builder("conduit.request.body.in.flight", bodiesInFlight, BodyBytesInFlight::held)
        .baseUnit("bytes")
        .description(
            "Request-body bytes held now, across requests (bounded by server.maxBodyBytesInFlight)")
        .register(platform.metrics.registry());
    ConnectionGuard guard =
        new ConnectionGuard(
            ListenerLimits.client(server),
            server.http2ClearText(),
            new ListenerMeters(platform.metrics.registry(), "client"));
    OperationsEndpoints operations =
        server.metricsOnClientPort() ? observe.operations : observe.operations.withoutMetrics();
    UpstreamClient.UpstreamTimings timings =
        (provider, nanos, success) -> platform.metrics.recordProviderResponse(provider, nanos);

    // One event loop per core, as nginx's "worker_processes auto": the proxy path never blocks,
    // and more loops than cores only add thread switches (bench/results, eventLoops variants).
    int instances =
        server.eventLoops() > 0 ? server.eventLoops() : Runtime.getRuntime().availableProcessors();
    // Vert.x shares one port among instances only when they all name it: resolve "0" first.
    this.port = server.port() == 0 ? freePort(server.host()) : server.port();
    this.deploymentId =
        Platform.await(
            platform.vertx.deployVerticle(
                () ->
                    new ClientApiVerticle(
                        server.host(),
                        port,
                        platform.config.drain().timeoutMs() + CUT_FLUSH_MS,
                        guard,
                        owner -> {
                          UpstreamClient upstream =
                              new UpstreamClient(
                                  owner,
                                  server.upstreamPoolSize(),
                                  routing.localUpstreams,
                                  timings);
                          loopClients.add(new LoopClient(Vertx.currentContext(), upstream));
                          RealtimeSessions realtime =
                              new RealtimeSessions(
                                  routing.router,
                                  new UpstreamWebSockets(
                                      owner, ClientApiVerticle.REALTIME_MAX_FRAME_BYTES),
                                  resilience,
                                  settler,
                                  admission.admission,
                                  pricing.table,
                                  owner);
                          ProxyPipeline pipeline =
                              new ProxyPipeline(
                                  routing.router,
                                  upstream,
                                  codecs,
                                  settler,
                                  resilience,
                                  owner,
                                  caching,
                                  callsInFlight);
                          return new ClientApi(
                              keys.authenticator,
                              routing.catalog,
                              pipeline,
                              settler,
                              operations,
                              server.maxBodyBytes(),
                              bodiesInFlight,
                              platform.clock,
                              admission.admission,
                              clientAddress,
                              owner,
                              responses,
                              responsesEndpoint,
                              preparers,
                              realtime);
                        }),
                new DeploymentOptions().setInstances(instances)));
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    }
  }

  /** Opens connections to a deployment's upstream from every event loop. */
  Optional<Future<Void>> warm(Deployment deployment) {
    Optional<String> url =
        deployment
            .provider()
            .regionalEndpoint(deployment.region())
            .or(() -> deployment.provider().adapter().warmUrl());
    if (url.isEmpty()) {
      return Optional.empty();
    }
    List<Future<Void>> warming = new ArrayList<>();
    for (LoopClient loop : loopClients) {
      Promise<Void> done = Promise.promise();
      loop.context().runOnContext(v -> loop.client().warm(url.get()).onComplete(done));
      warming.add(done.future());
    }
    return Optional.of(Future.all(warming).mapEmpty());
  }

  /**
   * Stops accepting connections; requests in flight run for up to {@code drain.timeoutMs}, then
   * those left are ended ({@link CallsInFlight#endAll}: a stream with an error event) and, after a
   * moment for those events to go out, the connections are closed.
   */
  @Override
  public void close() {
    long timeoutMs = platform.config.drain().timeoutMs();
    long cut =
        platform.vertx.setTimer(
            timeoutMs,
            id -> {
              int left = callsInFlight.count();
              if (left > 0) {
                log.warn(
                    "Drain timeout ({} ms) passed: ending {} calls in flight", timeoutMs, left);
              }
              callsInFlight.endAll(timeoutMs);
            });
    try {
      platform
          .vertx
          .undeploy(deploymentId)
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeoutMs + CUT_FLUSH_MS + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("Stopping the client API failed: {}", e.getMessage());
    } finally {
      platform.vertx.cancelTimer(cut);
    }
  }

  /** A client API event loop and its upstream client, for warming connections on each loop. */
  private record LoopClient(Context context, UpstreamClient client) {}
}
