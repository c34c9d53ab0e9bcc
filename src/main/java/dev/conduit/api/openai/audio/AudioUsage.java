package dev.conduit.api.openai.audio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.core.Units;
import dev.conduit.core.Usage;

/**
 * What an audio answer consumed: tokens when the provider reports them (gpt-4o-transcribe,
 * gpt-4o-mini-tts), else the audio's seconds (transcripts) or the input's characters (speech), the
 * units such models are priced in.
 *
 * @param tokens reported tokens; {@link Usage#NONE} when none were reported
 * @param audioSeconds the audio's length, for a transcript priced per second; null otherwise
 * @param characters the characters spoken, for speech priced per character; null otherwise
 */
public record AudioUsage(Usage tokens, Double audioSeconds, Long characters) {
  /**
   * Reads OpenAI's transcription {@code usage}: {@code {"type":"tokens","input_tokens",
   * "output_tokens",...}} or {@code {"type":"duration","seconds"}}
   * (https://platform.openai.com/docs/api-reference/audio/json-object); speech's SSE {@code
   * speech.audio.done} carries the token form without {@code type}.
   *
   * @param usage the {@code usage} object, or a missing node
   * @param duration {@code verbose_json}'s top-level {@code duration}, or a missing node
   * @param fallbackSeconds the length known otherwise (the file's header, its size's bound)
   */
  static AudioUsage ofTranscript(JsonNode usage, JsonNode duration, double fallbackSeconds) {
    if (usage.isObject() && usage.has("input_tokens")) {
      return tokens(usage);
    }
    if (usage.isObject() && usage.path("seconds").isNumber()) {
      return new AudioUsage(Usage.NONE, usage.path("seconds").asDouble(), null);
    }
    if (duration.isNumber()) {
      return new AudioUsage(Usage.NONE, duration.asDouble(), null);
    }
    return new AudioUsage(Usage.NONE, fallbackSeconds, null);
  }

  /** Token usage ({@code input_tokens}, {@code output_tokens}). */
  static AudioUsage tokens(JsonNode usage) {
    return new AudioUsage(
        Usage.of(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0)),
        null,
        null);
  }

  /**
   * The units to charge besides the tokens: none when the provider reported tokens (such models are
   * priced by them), else the seconds or characters.
   */
  Units units() {
    if (tokens.isKnown()) {
      return null;
    }
    if (audioSeconds != null) {
      return Units.audioSeconds(audioSeconds);
    }
    return characters == null ? null : Units.characters(characters);
  }

  static AudioUsage characters(long characters) {
    return new AudioUsage(Usage.NONE, null, characters);
  }
}
