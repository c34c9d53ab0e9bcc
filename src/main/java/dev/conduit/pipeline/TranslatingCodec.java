package dev.conduit.pipeline;

import dev.conduit.core.ChatRequest;
import dev.conduit.core.ChatResponse;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.StreamChunk;
import dev.conduit.core.Usage;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.StreamParser;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat call between different protocols, through the canonical model: the caller's body is
 * decoded by its {@link ClientDialect}, expressed to the provider by its {@link ProviderAdapter},
 * and the answer goes back the same way, chunk by chunk when streamed. Chosen by {@link CallCodecs}
 * whenever the caller's protocol and the provider's differ (OpenAI in, Anthropic out; Anthropic in,
 * OpenAI-compatible out; later Gemini and Bedrock).
 */
public final class TranslatingCodec implements CallCodec {
  private static final Logger log = LoggerFactory.getLogger(TranslatingCodec.class);
  private final InboundCall call;
  private final Deployment deployment;
  private final ProviderAdapter adapter;

  public TranslatingCodec(InboundCall call, Deployment deployment) {
    this.call = call;
    this.deployment = deployment;
    this.adapter = deployment.provider().adapter();
  }

  @Override
  public Future<UpstreamRequest> upstreamRequest() {
    try {
      ChatRequest request = call.dialect().decodeChat(call.body());
      if (request.stream() != call.stream()) {
        request = request.toBuilder().stream(call.stream()).build();
      }
      return adapter.toUpstream(request, deployment.target());
    } catch (GatewayException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public TranslatedBody translateBody(Buffer upstreamBody) {
    try {
      return translate(upstreamBody);
    } catch (InvalidUpstreamResponse | GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new GatewayException(translationBug(e));
    }
  }

  private TranslatedBody translate(Buffer upstreamBody) {
    ChatResponse response = adapter.fromUpstream(upstreamBody, deployment.target());
    if (response.model() == null) {
      response =
          new ChatResponse(
              response.id(),
              deployment.model(),
              response.text(),
              response.reasoning(),
              response.toolCalls(),
              response.finishReason(),
              response.stopSequence(),
              response.usage());
    }
    if (!response.usage().isKnown()) {
      UsageTally tally = new UsageTally(call.body());
      tally.output(nullToEmpty(response.text()));
      response.toolCalls().forEach(toolCall -> tally.output(toolCall.arguments()));
      response = response.withUsage(tally.usage(false));
    }
    return new TranslatedBody(
        call.dialect().encodeResponse(response), response.usage(), response.finishReason());
  }

  @Override
  public StreamTranslator streamTranslator() {
    return new TranslatingStream(
        adapter.newStreamParser(deployment.target()),
        call.dialect().newStreamEncoder(call.callerWantsUsage()),
        new UsageTally(call.body()));
  }

  @Override
  public UpstreamError upstreamError(int status, MultiMap headers, Buffer body) {
    return adapter.mapError(status, headers, body);
  }

  /** A converter failed on input it should have handled: the gateway's fault, not the caller's. */
  private GatewayError translationBug(RuntimeException e) {
    log.error("Translating the answer of {} failed", deployment.id(), e);
    return GatewayError.internal(
        "The gateway could not translate the answer of '" + deployment.id() + "'.");
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }

  /** Upstream bytes to canonical chunks to the caller's events, noting usage and errors. */
  private final class TranslatingStream implements StreamTranslator {
    private final StreamParser parser;
    private final StreamEncoder encoder;
    private final UsageTally tally;
    private final Consumer<StreamChunk> onChunk;
    private Consumer<Buffer> toClient;
    private GatewayError upstreamError;
    private GatewayError broken;
    private boolean sawStart;
    private boolean complete;

    TranslatingStream(StreamParser parser, StreamEncoder encoder, UsageTally tally) {
      this.parser = parser;
      this.encoder = encoder;
      this.tally = tally;
      this.onChunk = this::onChunk;
    }

    @Override
    public void onBytes(Buffer chunk, Consumer<Buffer> toClient) {
      if (broken != null || upstreamError != null) {
        return;
      }
      this.toClient = toClient;
      try {
        parser.feed(chunk, onChunk);
      } catch (InvalidUpstreamResponse e) {
        broken = GatewayError.upstreamInvalid(deployment.provider().name(), e.getMessage());
      } catch (RuntimeException e) {
        broken = translationBug(e);
      }
    }

    private void onChunk(StreamChunk chunk) {
      if (broken != null || upstreamError != null) {
        return;
      }
      if (!sawStart) {
        // Encoders always see a Start first, with the model named.
        sawStart = true;
        if (chunk instanceof StreamChunk.Start start) {
          if (start.model() == null) {
            chunk = new StreamChunk.Start(start.id(), deployment.model());
          }
        } else {
          encoder.encode(new StreamChunk.Start(null, deployment.model()), toClient);
        }
      }
      if (chunk instanceof StreamChunk.UsageUpdate update) {
        tally.reported(update.usage());
      } else if (chunk instanceof StreamChunk.TextDelta text) {
        tally.output(text.text());
      } else if (chunk instanceof StreamChunk.ToolCallDelta toolCall) {
        tally.output(toolCall.arguments());
      } else if (chunk instanceof StreamChunk.ReasoningDelta reasoning) {
        tally.output(reasoning.text());
      } else if (chunk instanceof StreamChunk.Failure failure) {
        if (!encoder.started()) {
          broken = failure.error(); // nothing sent yet: the attempt can fail over
          return;
        }
        upstreamError = failure.error();
      }
      encoder.encode(chunk, toClient);
    }

    @Override
    public GatewayError onEnd(Consumer<Buffer> toClient) {
      if (broken != null) {
        return broken;
      }
      if (upstreamError != null) {
        return null;
      }
      this.toClient = toClient;
      String missing;
      try {
        missing = parser.end(onChunk);
      } catch (InvalidUpstreamResponse e) {
        missing = e.getMessage();
      } catch (RuntimeException e) {
        return translationBug(e);
      }
      if (broken != null) {
        return broken;
      }
      if (upstreamError != null) {
        return null;
      }
      if (missing != null) {
        return GatewayError.upstreamInvalid(deployment.provider().name(), missing);
      }
      complete = true;
      encoder.finish(toClient);
      return null;
    }

    @Override
    public Usage usage() {
      return tally.usage(complete);
    }

    @Override
    public GatewayError upstreamError() {
      return upstreamError;
    }

    @Override
    public GatewayError broken() {
      return broken;
    }
  }
}
