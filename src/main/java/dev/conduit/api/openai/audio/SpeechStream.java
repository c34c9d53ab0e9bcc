package dev.conduit.api.openai.audio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Units;
import dev.conduit.core.Usage;
import dev.conduit.pipeline.StreamTranslator;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.sse.SseEventSplitter;
import dev.conduit.provider.sse.SseEvents;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Speech relayed as it is produced: the audio bytes are written to the caller chunk by chunk, as
 * the upstream sends them, never gathered (the relay pauses the upstream while the caller's
 * connection is full), under the upstream's {@code Content-Type} ({@code audio/mpeg}, ...). With
 * {@code stream_format: sse} (gpt-4o-mini-tts) the upstream sends events instead; they are
 * forwarded as each completes, and {@code speech.audio.done} gives the token usage
 * (https://platform.openai.com/docs/api-reference/audio/speech-audio-done-event).
 */
final class SpeechStream implements StreamTranslator {
  private final AudioRequest request;
  private final String provider;
  private final ProviderAdapter adapter;
  private SseEventSplitter events;
  private Usage tokens = Usage.NONE;
  private GatewayError upstreamError;
  private boolean done;

  SpeechStream(AudioRequest request, String provider, ProviderAdapter adapter) {
    this.request = request;
    this.provider = provider;
    this.adapter = adapter;
  }

  @Override
  public String contentType() {
    return "application/octet-stream";
  }

  @Override
  public String contentType(MultiMap upstreamHeaders) {
    String type = upstreamHeaders.get(HttpHeaders.CONTENT_TYPE);
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      events = new SseEventSplitter();
    }
    return type == null ? "application/octet-stream" : type;
  }

  @Override
  public void onBytes(Buffer chunk, Consumer<Buffer> toClient) {
    if (events == null) {
      toClient.accept(chunk);
      return;
    }
    events.feed(
        chunk,
        event -> {
          read(SseEvents.data(event));
          toClient.accept(event);
        });
  }

  private void read(String data) {
    JsonNode event = AudioEvents.parse(data);
    if (event == null) {
      return;
    }
    if (event.path("type").asText("").equals("speech.audio.done")) {
      done = true;
      if (event.path("usage").isObject()) {
        tokens = AudioUsage.tokens(event.path("usage")).tokens();
      }
    } else if (AudioEvents.isError(event)) {
      upstreamError = AudioEvents.error(event, adapter);
    }
  }

  @Override
  public GatewayError onEnd(Consumer<Buffer> toClient) {
    if (events == null) {
      return null; // raw audio has no end marker: the upstream's complete response is the end
    }
    if (events.hasRemainder()) {
      return GatewayError.upstreamInvalid(provider, "the stream was cut in the middle of an event");
    }
    if (!done && upstreamError == null) {
      return GatewayError.upstreamInvalid(
          provider, "the speech stream ended without its speech.audio.done event");
    }
    return null;
  }

  @Override
  public Usage usage() {
    return tokens;
  }

  /** Tokens when the provider reported them, else the characters of the input. */
  AudioUsage consumed() {
    return tokens.isKnown()
        ? new AudioUsage(tokens, null, null)
        : AudioUsage.characters(request.characters());
  }

  @Override
  public Units units() {
    return consumed().units();
  }

  @Override
  public GatewayError upstreamError() {
    return upstreamError;
  }
}
