package dev.conduit.api.openai.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.WireProtocol;
import dev.conduit.pipeline.CallCodec;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.InboundCall.StreamUsageOption;
import dev.conduit.pipeline.StreamTranslator;
import dev.conduit.pipeline.TranslatedBody;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.UpstreamError;
import dev.conduit.provider.UpstreamRequest;
import dev.conduit.route.Deployment;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.io.IOException;

/**
 * OpenAI's audio API in, an OpenAI-compatible deployment out (OpenAI, Azure OpenAI): the body is
 * forwarded with only {@code model} rewritten ({@link AudioRequest}) and the answer is passed back
 * as the provider sends it, with its {@code Content-Type}: a transcript as JSON, text, SRT or VTT;
 * a transcript stream event by event ({@link TranscriptStream}); speech as audio bytes the moment
 * they arrive ({@link SpeechStream}). The answer is read only for what it consumed ({@link
 * AudioUsage}).
 */
public final class OpenAiAudioPassthrough implements CallCodec {
  private final InboundCall call;
  private final AudioRequest request;
  private final Deployment deployment;
  private final ProviderAdapter adapter;
  private AudioUsage consumed;

  /**
   * The codec of an audio call: pass-through to a provider that speaks OpenAI's protocol (OpenAI,
   * Azure OpenAI, compatible servers), else a 400 naming the provider.
   */
  public static CallCodec forAttempt(InboundCall call, Deployment deployment) {
    boolean openAi =
        deployment
            .provider()
            .adapter()
            .nativeProtocol()
            .map(protocol -> protocol == WireProtocol.OPENAI)
            .orElse(false);
    if (!openAi) {
      throw new GatewayException(
          GatewayError.badRequest(
              "unsupported_provider",
              "Provider '"
                  + deployment.provider().name()
                  + "' cannot serve "
                  + call.endpoint().openAiPath()
                  + " calls; route them to OpenAI or Azure OpenAI.",
              "model"));
    }
    return new OpenAiAudioPassthrough(call, deployment);
  }

  private OpenAiAudioPassthrough(InboundCall call, Deployment deployment) {
    this.call = call;
    this.request = (AudioRequest) call.rewriter();
    this.deployment = deployment;
    this.adapter = deployment.provider().adapter();
  }

  @Override
  public Future<UpstreamRequest> upstreamRequest() {
    Buffer body = call.rewriter().rewrite(deployment.model(), StreamUsageOption.AS_SENT);
    return adapter
        .forwardRequest(call.endpoint(), body, deployment.target(), call.stream())
        .map(
            upstream -> {
              if (request.contentType() != null) {
                upstream =
                    upstream.withHeader(HttpHeaders.CONTENT_TYPE.toString(), request.contentType());
              }
              return call.endpoint() == Endpoint.AUDIO_SPEECH
                  ? upstream.withHeader(HttpHeaders.ACCEPT.toString(), "*/*")
                  : upstream;
            });
  }

  @Override
  public String contentType(MultiMap upstreamHeaders) {
    String type = upstreamHeaders.get(HttpHeaders.CONTENT_TYPE);
    return type == null ? "application/octet-stream" : type;
  }

  @Override
  public TranslatedBody translateBody(Buffer upstreamBody) {
    consumed = transcriptUsage(upstreamBody);
    return new TranslatedBody(upstreamBody, consumed.tokens(), consumed.units());
  }

  /** What the answer consumed, once it was read; null before. */
  public AudioUsage consumed() {
    return consumed;
  }

  private AudioUsage transcriptUsage(Buffer body) {
    JsonNode root = MissingNode.getInstance();
    String format = request.responseFormat();
    if (format.equals("json") || format.equals("verbose_json")) {
      try {
        root = Json.MAPPER.readTree(body.getBytes());
      } catch (IOException e) {
        // Passed on as it came; priced from the file.
      }
    }
    return AudioUsage.ofTranscript(
        root.path("usage"), root.path("duration"), request.reservedSeconds());
  }

  @Override
  public StreamTranslator streamTranslator() {
    return call.endpoint() == Endpoint.AUDIO_SPEECH
        ? new SpeechStream(request, deployment.provider().name(), adapter)
        : new TranscriptStream(request, deployment.provider().name(), adapter);
  }

  @Override
  public UpstreamError upstreamError(int status, MultiMap headers, Buffer body) {
    return adapter.mapError(status, headers, body);
  }
}
