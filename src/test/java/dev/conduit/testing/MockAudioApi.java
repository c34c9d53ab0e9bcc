package dev.conduit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link MockUpstream}'s OpenAI audio API (https://platform.openai.com/docs/api-reference/audio).
 *
 * <p>Transcriptions and translations ({@code multipart/form-data}, read with Vert.x's own form
 * decoder, not the gateway's) answer "Hello from mock" in the {@code response_format} asked for:
 * {@code json} ({@code {"text"}} and, for a {@code gpt-4o*} model, token {@code usage}: 14 input, 5
 * output), {@code verbose_json} (with {@code duration} {@value #VERBOSE_DURATION}), {@code text},
 * {@code srt}, {@code vtt}. With {@code stream=true}: three {@code transcript.text.delta} events
 * and {@code transcript.text.done} with the token usage. Model {@code fail-NNN} answers NNN.
 *
 * <p>Speech answers {@link #SPEECH_CHUNKS} as {@code audio/mpeg}, one write each; for model {@code
 * tts-gated} the last chunk waits for {@link MockUpstream#openGate()}. With {@code stream_format:
 * sse} it answers {@code speech.audio.delta} events and {@code speech.audio.done} with usage (10
 * input, 90 output tokens).
 */
public final class MockAudioApi {
  public static final double VERBOSE_DURATION = 8.47;
  static final List<String> TRANSCRIPT_PIECES = List.of("Hello", " from", " mock");

  /** The speech "audio": an MP3 frame header, then bytes that need not decode. */
  public static final List<byte[]> SPEECH_CHUNKS =
      List.of(
          new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 1, 2, 3, 4},
          new byte[] {5, 6, 7, 8, 9, 10, 11, 12},
          new byte[] {13, 14, 15, 16});

  /**
   * One multipart upload as received.
   *
   * @param path request path
   * @param contentType its {@code Content-Type}
   * @param headers its headers (lower-case names)
   * @param fields its text fields
   * @param file the bytes of its {@code file} part
   * @param filename the file part's name
   */
  public record Upload(
      String path,
      String contentType,
      Map<String, String> headers,
      Map<String, String> fields,
      byte[] file,
      String filename) {}

  private final List<Upload> uploads = new CopyOnWriteArrayList<>();

  static boolean isUpload(String path) {
    return path.endsWith("/audio/transcriptions") || path.endsWith("/audio/translations");
  }

  List<Upload> uploads() {
    return List.copyOf(uploads);
  }

  void upload(HttpServerRequest request) {
    request.setExpectMultipart(true);
    Buffer file = Buffer.buffer();
    String[] filename = new String[1];
    request.uploadHandler(
        upload -> {
          filename[0] = upload.filename();
          upload.handler(file::appendBuffer);
        });
    request.endHandler(
        v -> {
          Map<String, String> fields = new ConcurrentHashMap<>();
          request.formAttributes().forEach(entry -> fields.put(entry.getKey(), entry.getValue()));
          Map<String, String> headers = new ConcurrentHashMap<>();
          request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
          uploads.add(
              new Upload(
                  request.path(),
                  request.getHeader("Content-Type"),
                  headers,
                  fields,
                  file.getBytes(),
                  filename[0]));
          transcribe(request.response(), fields);
        });
  }

  private void transcribe(HttpServerResponse response, Map<String, String> fields) {
    String model = fields.getOrDefault("model", "");
    if (model.startsWith("fail-")) {
      MockUpstream.error(response, Integer.parseInt(model.substring(5)));
      return;
    }
    boolean tokens = model.startsWith("gpt-4o");
    String usage =
        "{\"type\":\"tokens\",\"input_tokens\":14,\"input_token_details\":"
            + "{\"text_tokens\":0,\"audio_tokens\":14},\"output_tokens\":5,\"total_tokens\":19}";
    String text = String.join("", TRANSCRIPT_PIECES);
    if ("true".equals(fields.get("stream")) && !model.startsWith("whisper")) {
      response.setChunked(true).putHeader("Content-Type", "text/event-stream");
      for (String piece : TRANSCRIPT_PIECES) {
        response.write(
            "data: {\"type\":\"transcript.text.delta\",\"delta\":\"" + piece + "\"}\n\n");
      }
      response.end(
          "data: {\"type\":\"transcript.text.done\",\"text\":\""
              + text
              + "\",\"usage\":"
              + usage
              + "}\n\n");
      return;
    }
    switch (fields.getOrDefault("response_format", "json")) {
      case "text" -> plain(response, text + "\n");
      case "srt" -> plain(response, "1\n00:00:00,000 --> 00:00:01,500\n" + text + "\n\n");
      case "vtt" -> plain(response, "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n" + text + "\n\n");
      case "verbose_json" ->
          MockUpstream.json(
              response,
              200,
              "{\"task\":\"transcribe\",\"language\":\"english\",\"duration\":"
                  + VERBOSE_DURATION
                  + ",\"text\":\""
                  + text
                  + "\",\"segments\":[]}");
      default ->
          MockUpstream.json(
              response,
              200,
              "{\"text\":\"" + text + "\"" + (tokens ? ",\"usage\":" + usage : "") + "}");
    }
  }

  private static void plain(HttpServerResponse response, String body) {
    response.setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
  }

  void speech(HttpServerResponse response, JsonNode body, String model, Future<Void> gate) {
    if (body.path("stream_format").asText("audio").equals("sse")) {
      response.setChunked(true).putHeader("Content-Type", "text/event-stream");
      for (byte[] chunk : SPEECH_CHUNKS) {
        response.write(
            "data: {\"type\":\"speech.audio.delta\",\"audio\":\""
                + Base64.getEncoder().encodeToString(chunk)
                + "\"}\n\n");
      }
      response.end(
          "data: {\"type\":\"speech.audio.done\",\"usage\":{\"input_tokens\":10,"
              + "\"output_tokens\":90,\"total_tokens\":100}}\n\n");
      return;
    }
    response.setChunked(true).putHeader("Content-Type", "audio/mpeg");
    for (byte[] chunk : SPEECH_CHUNKS.subList(0, SPEECH_CHUNKS.size() - 1)) {
      response.write(Buffer.buffer(chunk));
    }
    Runnable last = () -> response.end(Buffer.buffer(SPEECH_CHUNKS.get(SPEECH_CHUNKS.size() - 1)));
    if (model.equals("tts-gated")) {
      gate.onComplete(v -> last.run());
    } else {
      last.run();
    }
  }
}
