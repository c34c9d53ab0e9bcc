package dev.conduit.api.openai.audio;

import dev.conduit.api.CallPreparer;
import dev.conduit.core.Endpoint;
import dev.conduit.pipeline.CallCodecs;
import dev.conduit.pipeline.InboundCall;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import java.util.Map;

/**
 * OpenAI's audio endpoints ({@code /v1/audio/transcriptions}, {@code /v1/audio/translations},
 * {@code /v1/audio/speech}) as the assembly registers them: how the caller's body becomes a call
 * ({@link AudioRequest}) and how each attempt forwards it ({@link OpenAiAudioPassthrough}).
 */
public final class OpenAiAudio {
  private OpenAiAudio() {}

  /** Adds the audio endpoints' preparers and codecs. */
  public static void register(
      Map<Endpoint, CallPreparer> preparers, Map<Endpoint, CallCodecs.Factory> codecs) {
    for (Endpoint endpoint :
        new Endpoint[] {
          Endpoint.AUDIO_TRANSCRIPTIONS, Endpoint.AUDIO_TRANSLATIONS, Endpoint.AUDIO_SPEECH
        }) {
      preparers.put(endpoint, preparer(endpoint));
      codecs.put(endpoint, OpenAiAudioPassthrough::forAttempt);
    }
  }

  private static CallPreparer preparer(Endpoint endpoint) {
    return (body, request, models) -> {
      AudioRequest audio =
          endpoint == Endpoint.AUDIO_SPEECH
              ? AudioRequest.speech(body)
              : AudioRequest.transcription(
                  endpoint, body, request.getHeader(HttpHeaders.CONTENT_TYPE));
      InboundCall call = audio.inbound(body);
      models.check(audio.model(), call.stream());
      return Future.succeededFuture(call);
    };
  }
}
