package dev.conduit.api.openai.audio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.api.MultipartBody;
import dev.conduit.api.ParameterRules;
import dev.conduit.api.openai.OpenAiDialect;
import dev.conduit.api.openai.OpenAiRequestRewriter;
import dev.conduit.api.openai.OpenAiRequestScan;
import dev.conduit.api.openai.OpenAiRequestScanner;
import dev.conduit.core.Endpoint;
import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import dev.conduit.core.Json;
import dev.conduit.core.Units;
import dev.conduit.core.WireProtocol;
import dev.conduit.pipeline.InboundCall;
import dev.conduit.pipeline.InboundCall.StreamUsageOption;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Map;

/**
 * An OpenAI audio request as read at the door, before admission: what routes it ({@code model}),
 * what prices and reserves it (the audio's length, the characters to speak), and how its body is
 * re-targeted at a deployment. It is the call's {@link InboundCall.BodyRewriter}, so the audio
 * codec finds these facts on the call without reading the body again.
 *
 * <p>Transcriptions and translations are {@code multipart/form-data}: the {@code model} part's
 * value is spliced ({@link MultipartBody#replace}), every other byte, the file's included, goes out
 * as the caller sent it. Parsing and re-encoding the form would cost a second copy of the file and
 * would have to know every field OpenAI adds; the splice needs neither.
 *
 * <p>Speech is JSON: its {@code model} is spliced like a chat body's ({@link
 * OpenAiRequestRewriter}).
 */
public final class AudioRequest implements InboundCall.BodyRewriter {
  /**
   * The rules of {@code /v1/audio/speech} (https://platform.openai.com/docs/api-reference/audio).
   */
  static final ParameterRules SPEECH_RULES =
      new ParameterRules(
          Map.of(
              "model", ParameterRules.requiredString(),
              "input", ParameterRules.requiredString(),
              "speed", ParameterRules.number(0.25, 4.0),
              "response_format", ParameterRules.string(),
              "stream_format", ParameterRules.string(),
              "instructions", ParameterRules.string()),
          ParameterRules.Wording.OPENAI);

  private final Endpoint endpoint;
  private final String model;
  private final boolean stream;
  private final String responseFormat;
  private final MultipartBody form;
  private final String contentType;
  private final byte[] jsonBody;
  private final OpenAiRequestScan scan;
  private final long fileBytes;
  private final Double headerSeconds;
  private final long characters;

  private AudioRequest(
      Endpoint endpoint,
      String model,
      boolean stream,
      String responseFormat,
      MultipartBody form,
      String contentType,
      byte[] jsonBody,
      OpenAiRequestScan scan,
      long fileBytes,
      Double headerSeconds,
      long characters) {
    this.endpoint = endpoint;
    this.model = model;
    this.stream = stream;
    this.responseFormat = responseFormat;
    this.form = form;
    this.contentType = contentType;
    this.jsonBody = jsonBody;
    this.scan = scan;
    this.fileBytes = fileBytes;
    this.headerSeconds = headerSeconds;
    this.characters = characters;
  }

  /**
   * A transcription or translation body.
   *
   * @throws GatewayException (400) for a body that is not a well-formed form with a file and a
   *     model
   */
  public static AudioRequest transcription(Endpoint endpoint, byte[] body, String contentType) {
    String boundary = MultipartBody.boundary(contentType);
    if (boundary == null) {
      throw GatewayException.badRequest(
          "This endpoint takes multipart/form-data (Content-Type: multipart/form-data;"
              + " boundary=...).",
          null);
    }
    MultipartBody form = MultipartBody.parse(body, boundary);
    MultipartBody.Part file = form.first("file");
    if (file == null) {
      throw new GatewayException(missing("file"));
    }
    String model = form.text("model");
    if (model == null || model.isBlank()) {
      throw new GatewayException(missing("model"));
    }
    String stream = form.text("stream");
    boolean streamed =
        endpoint == Endpoint.AUDIO_TRANSCRIPTIONS && stream != null && stream.trim().equals("true");
    String format = form.text("response_format");
    return new AudioRequest(
        endpoint,
        model.trim(),
        streamed,
        format == null ? "json" : format.trim(),
        form,
        contentType,
        null,
        null,
        file.size(),
        AudioDuration.seconds(body, file.contentStart(), file.size()),
        0);
  }

  /**
   * A speech body. The answer is always relayed as a stream: audio bytes as they come (or the
   * provider's events for {@code stream_format: sse}).
   *
   * @throws GatewayException (400) for a body that is not a speech request
   */
  public static AudioRequest speech(byte[] body) {
    OpenAiRequestScan scan = OpenAiRequestScanner.scan(body, SPEECH_RULES);
    String absent = scan.missingField("model", "input");
    if (absent != null) {
      throw new GatewayException(SPEECH_RULES.missing(absent));
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw GatewayException.badRequest("The request body is not valid JSON.", null);
    }
    String input = root.path("input").asText();
    return new AudioRequest(
        Endpoint.AUDIO_SPEECH,
        scan.model(),
        true,
        root.path("stream_format").asText("audio"),
        null,
        null,
        body,
        scan,
        0,
        null,
        input.codePointCount(0, input.length()));
  }

  /**
   * The pipeline's call for this request, with what a spend-limited key reserves: the audio's
   * length for a transcript ({@link #reservedSeconds}), the characters for speech. Speech asked as
   * events ({@code stream_format: sse}) is priced by the tokens they report, so it reserves tokens
   * only.
   */
  public InboundCall inbound(byte[] body) {
    Units units =
        endpoint != Endpoint.AUDIO_SPEECH
            ? Units.audioSeconds(reservedSeconds())
            : responseFormat.equals("sse") ? null : Units.characters(characters);
    return new InboundCall(
        WireProtocol.OPENAI,
        endpoint,
        body,
        model,
        stream,
        false,
        null,
        this,
        OpenAiDialect.INSTANCE,
        units,
        null);
  }

  @Override
  public Buffer rewrite(String upstreamModel, StreamUsageOption streamUsage) {
    if (form != null) {
      return form.replace(form.first("model"), upstreamModel);
    }
    return OpenAiRequestRewriter.rewrite(jsonBody, scan, upstreamModel, StreamUsageOption.AS_SENT);
  }

  /** The multipart body's {@code Content-Type} (its boundary); null for a JSON body. */
  public String contentType() {
    return contentType;
  }

  public String model() {
    return model;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  /**
   * {@code json}, {@code text}, {@code srt}, {@code vtt}, {@code verbose_json} (transcripts); for
   * speech its {@code stream_format} ({@code audio} or {@code sse}).
   */
  public String responseFormat() {
    return responseFormat;
  }

  /** The uploaded file's size in bytes (0 for speech). */
  public long fileBytes() {
    return fileBytes;
  }

  /** The audio's length read from the file's header; null when it could not be read. */
  public Double headerSeconds() {
    return headerSeconds;
  }

  /**
   * The most audio the upload can hold, for the reservation: its header's length, else an upper
   * bound from its size ({@link AudioDuration#estimateSeconds}).
   */
  public double reservedSeconds() {
    return headerSeconds != null ? headerSeconds : AudioDuration.estimateSeconds(fileBytes);
  }

  /** Characters of speech input (Unicode code points); 0 for transcripts. */
  public long characters() {
    return characters;
  }

  private static GatewayError missing(String field) {
    return GatewayError.badRequest(
        "missing_required_parameter", "Missing required parameter: '" + field + "'.", field);
  }
}
