package dev.conduit.api.openai.audio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.GatewayError;
import dev.conduit.core.Json;
import dev.conduit.core.Units;
import dev.conduit.core.Usage;
import dev.conduit.pipeline.StreamTranslator;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.sse.SseEventSplitter;
import dev.conduit.provider.sse.SseEvents;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A streamed transcription ({@code stream=true}, gpt-4o-transcribe and gpt-4o-mini-transcribe),
 * forwarded event by event as each completes: {@code transcript.text.delta} events, then {@code
 * transcript.text.done} with the whole text and the token usage
 * (https://platform.openai.com/docs/api-reference/audio/transcript-text-done-event), which ends the
 * transcript. A {@code [DONE]} after it is forwarded too. An {@code error} event is forwarded and
 * logged as the call's error.
 */
final class TranscriptStream implements StreamTranslator {
  private final SseEventSplitter splitter = new SseEventSplitter();
  private final AudioRequest request;
  private final String provider;
  private final ProviderAdapter adapter;
  private AudioUsage consumed;
  private GatewayError upstreamError;
  private boolean done;

  /** A whole transcript relayed instead of events (kept to read its usage); null for events. */
  private Buffer whole;

  /** Transcripts are small; a body past this is relayed but not kept. */
  private static final int MAX_WHOLE_BYTES = 1 << 20;

  TranscriptStream(AudioRequest request, String provider, ProviderAdapter adapter) {
    this.request = request;
    this.provider = provider;
    this.adapter = adapter;
  }

  /**
   * A provider that ignores {@code stream} for the model (whisper-1 does) answers a whole
   * transcript instead of events: it is relayed as it comes, with its own {@code Content-Type}, and
   * read for its usage at the end.
   */
  @Override
  public String contentType(MultiMap upstreamHeaders) {
    String type = upstreamHeaders.get(HttpHeaders.CONTENT_TYPE);
    if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      whole = Buffer.buffer();
      return type;
    }
    return contentType();
  }

  @Override
  public void onBytes(Buffer chunk, Consumer<Buffer> toClient) {
    if (whole != null) {
      if (whole.length() < MAX_WHOLE_BYTES) {
        whole.appendBuffer(chunk);
      }
      toClient.accept(chunk);
      return;
    }
    splitter.feed(
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
    if (event.path("type").asText("").equals("transcript.text.done")) {
      done = true;
      consumed =
          AudioUsage.ofTranscript(
              event.path("usage"), event.path("duration"), request.reservedSeconds());
    } else if (AudioEvents.isError(event)) {
      upstreamError = AudioEvents.error(event, adapter);
    }
  }

  @Override
  public GatewayError onEnd(Consumer<Buffer> toClient) {
    if (whole != null) {
      JsonNode root = Json.MAPPER.missingNode();
      try {
        root = Json.MAPPER.readTree(whole.getBytes());
      } catch (IOException e) {
        // Not JSON (text, SRT, VTT): priced from the file.
      }
      root = root == null ? Json.MAPPER.missingNode() : root;
      consumed =
          AudioUsage.ofTranscript(
              root.path("usage"), root.path("duration"), request.reservedSeconds());
      return null;
    }
    if (splitter.hasRemainder()) {
      return GatewayError.upstreamInvalid(provider, "the stream was cut in the middle of an event");
    }
    if (!done && upstreamError == null) {
      return GatewayError.upstreamInvalid(
          provider, "the transcript stream ended without its transcript.text.done event");
    }
    return null;
  }

  @Override
  public Usage usage() {
    return consumed == null ? Usage.NONE : consumed.tokens();
  }

  /** What the transcript consumed; before its end, the length of the uploaded audio. */
  AudioUsage consumed() {
    return consumed != null
        ? consumed
        : new AudioUsage(Usage.NONE, request.reservedSeconds(), null);
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
