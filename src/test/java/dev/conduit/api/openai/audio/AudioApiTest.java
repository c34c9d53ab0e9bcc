package dev.conduit.api.openai.audio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.speech.SpeechCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.audio.transcriptions.TranscriptionStreamEvent;
import com.openai.models.audio.translations.TranslationCreateParams;
import com.openai.models.audio.translations.TranslationCreateResponse;
import dev.conduit.testing.GatewayOnMock;
import dev.conduit.testing.MockAudioApi;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.Yaml;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI's audio API through the gateway, with the official openai-java SDK as the client (and
 * plain HTTP where the SDK cannot ask: text, SRT and VTT transcripts, an oversized upload) against
 * the mock upstream's audio API: uploads forwarded with only the {@code model} part rewritten,
 * answers passed back as the provider sent them, speech streamed as it is produced, and each call's
 * units and cost in its request log row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("MustBeClosedChecker")
class AudioApiTest extends GatewayOnMock {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AZURE_KEY = "azure-audio-secret-0123456789";
  private static final int BODY_LIMIT = 300_000;

  /** Two seconds of 16 kHz mono 16-bit PCM: 64,000 bytes of samples after the header. */
  private static final byte[] WAV = wav(2.0);

  @TempDir Path temp;
  private String key;
  private OpenAIClient client;

  @Override
  protected String database() {
    return "sqlite";
  }

  @Override
  protected String serverSettings() {
    return "  maxBodyBytes: " + BODY_LIMIT + "\n";
  }

  @Override
  protected String yaml() {
    String azure = "http://127.0.0.1:" + mock.port();
    return Yaml.withMock(mock, db.url(), serverSettings())
            .replace(
                "providers:\n",
                """
        providers:
          - name: azure
            type: azure
            baseUrl: %s
            apiKey: %s
          - name: groq
            type: groq
            baseUrl: %s
            apiKey: groq-audio-secret
        """
                    .formatted(azure, AZURE_KEY, mock.baseUrl()))
        + Yaml.alias("whisper", "whisper-1")
        + Yaml.alias("transcribe", "gpt-4o-transcribe")
        + Yaml.alias("speech", "tts-1")
        + Yaml.alias("speech-gated", "tts-gated")
        + Yaml.alias("mini-tts", "gpt-4o-mini-tts")
        + Yaml.alias("azure-whisper", "azure", "my-whisper")
        + Yaml.alias("groq-whisper", "groq", "whisper-large-v3")
        + Yaml.alias("broken-whisper", "fail-503")
        + """
          - alias: whisper-failover
            deployments:
              - { provider: mock, model: fail-503 }
              - { provider: azure, model: my-whisper }
        """;
  }

  @Override
  protected void started() throws Exception {
    price("mock", "whisper-1", "\"perAudioSecond\":0.0001");
    price("azure", "my-whisper", "\"perAudioSecond\":0.0001");
    price("mock", "gpt-4o-transcribe", "\"inputPerMillion\":6,\"outputPerMillion\":10");
    price("mock", "tts-1", "\"perMillionCharacters\":15");
    price("mock", "tts-gated", "\"perMillionCharacters\":15");
    price("mock", "gpt-4o-mini-tts", "\"inputPerMillion\":0.6,\"outputPerMillion\":12");
    key = gateway.newKey();
    client = gateway.openAi(key);
  }

  private void price(String provider, String model, String rates) throws Exception {
    if (!rates.contains("inputPerMillion")) {
      rates = "\"inputPerMillion\":0,\"outputPerMillion\":0," + rates;
    }
    var response =
        gateway.admin(
            "POST",
            "/api/admin/model-costs",
            "{\"provider\":\"" + provider + "\",\"model\":\"" + model + "\"," + rates + "}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  private Path wavFile() throws Exception {
    Path file = temp.resolve("speech.wav");
    Files.write(file, WAV);
    return file;
  }

  @Test
  void aTranscriptionIsForwardedWithTheDeploymentsModelAndTheFileUntouched() throws Exception {
    var raw =
        client
            .audio()
            .transcriptions()
            .withRawResponse()
            .create(
                TranscriptionCreateParams.builder()
                    .file(wavFile())
                    .model("whisper")
                    .language("en")
                    .build());
    TranscriptionCreateResponse answer = raw.parse();
    assertThat(answer.asTranscription().text()).isEqualTo("Hello from mock");

    MockAudioApi.Upload upload = lastUpload();
    assertThat(upload.path()).isEqualTo("/v1/audio/transcriptions");
    assertThat(upload.fields()).containsEntry("model", "whisper-1").containsEntry("language", "en");
    assertThat(upload.file()).isEqualTo(WAV);
    assertThat(upload.filename()).isEqualTo("speech.wav");
    assertThat(upload.headers()).containsEntry("authorization", "Bearer " + Yaml.UPSTREAM_KEY);

    // No duration in the answer: the WAV header's 2 seconds are charged at $0.0001 a second.
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw.headers()));
    assertThat(row.get("endpoint")).isEqualTo("audio_transcriptions");
    assertThat(row.get("unit_kind")).isEqualTo("audio_seconds");
    assertThat(((Number) row.get("units")).doubleValue()).isEqualTo(2.0);
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(200_000L);
  }

  @Test
  void verboseJsonIsChargedForTheDurationTheProviderReports() throws Exception {
    var raw =
        client
            .audio()
            .transcriptions()
            .withRawResponse()
            .create(
                TranscriptionCreateParams.builder()
                    .file(wavFile())
                    .model("whisper")
                    .responseFormat(AudioResponseFormat.VERBOSE_JSON)
                    .build());
    assertThat(raw.parse().asVerbose().duration()).isEqualTo(MockAudioApi.VERBOSE_DURATION);
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw.headers()));
    assertThat(((Number) row.get("units")).doubleValue()).isEqualTo(8.47);
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(847_000L);
  }

  @Test
  void textSrtAndVttTranscriptsComeBackAsTheProviderSentThem() throws Exception {
    for (String format : List.of("text", "srt", "vtt")) {
      var response = upload("/v1/audio/transcriptions", "whisper", format, WAV);
      assertThat(response.statusCode()).as(format + ": " + response.body()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("text/plain; charset=utf-8");
      assertThat(response.body()).contains("Hello from mock");
      if (format.equals("vtt")) {
        assertThat(response.body()).startsWith("WEBVTT");
      }
      if (format.equals("srt")) {
        assertThat(response.body()).startsWith("1\n00:00:00,000 --> ");
      }
      Map<String, Object> row =
          RequestLogs.awaitRow(db, response.headers().firstValue("X-Request-ID").orElseThrow());
      assertThat(((Number) row.get("units")).doubleValue()).isEqualTo(2.0);
    }
  }

  @Test
  void aTranslationIsForwardedToTheTranslationsEndpoint() throws Exception {
    var raw =
        client
            .audio()
            .translations()
            .withRawResponse()
            .create(TranslationCreateParams.builder().file(wavFile()).model("whisper").build());
    TranslationCreateResponse answer = raw.parse();
    assertThat(answer.asTranslation().text()).isEqualTo("Hello from mock");
    assertThat(lastUpload().path()).isEqualTo("/v1/audio/translations");
    assertThat(lastUpload().fields()).containsEntry("model", "whisper-1");
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw.headers()));
    assertThat(row.get("endpoint")).isEqualTo("audio_translations");
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(200_000L);
  }

  @Test
  void aStreamedTranscriptionRelaysItsEventsAndIsChargedForItsTokens() throws Exception {
    var raw =
        client
            .audio()
            .transcriptions()
            .withRawResponse()
            .createStreaming(
                TranscriptionCreateParams.builder().file(wavFile()).model("transcribe").build());
    List<TranscriptionStreamEvent> events;
    try (StreamResponse<TranscriptionStreamEvent> stream = raw.parse()) {
      events = stream.stream().toList();
    }
    assertThat(events.stream().filter(TranscriptionStreamEvent::isTranscriptTextDelta))
        .map(event -> event.asTranscriptTextDelta().delta())
        .containsExactly("Hello", " from", " mock");
    assertThat(events.get(events.size() - 1).asTranscriptTextDone().text())
        .isEqualTo("Hello from mock");
    assertThat(lastUpload().fields()).containsEntry("stream", "true");

    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw.headers()));
    assertThat(RequestLogs.number(row, "stream")).isEqualTo(1);
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(14);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(5);
    assertThat(row.get("unit_kind")).isNull();
    // 14 input tokens at $6/M and 5 output tokens at $10/M.
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(84_000L + 50_000L);
  }

  @Test
  void aStreamAskedOfAModelThatDoesNotStreamComesBackWhole() throws Exception {
    var response = upload("/v1/audio/transcriptions", "whisper", "json", WAV, "true");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(JSON.readTree(response.body()).path("text").asText()).isEqualTo("Hello from mock");
    Map<String, Object> row =
        RequestLogs.awaitRow(db, response.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(row.get("error_type")).isNull();
    assertThat(((Number) row.get("units")).doubleValue()).isEqualTo(2.0);
  }

  @Test
  void speechBytesReachTheCallerBeforeTheUpstreamHasFinished() throws Exception {
    String input = "Hello, world.";
    HttpResponse speech =
        client
            .audio()
            .speech()
            .create(
                SpeechCreateParams.builder()
                    .model("speech-gated")
                    .input(input)
                    .voice("alloy")
                    .build());
    String requestId;
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (speech) {
      assertThat(speech.headers().values("Content-Type")).containsExactly("audio/mpeg");
      requestId = speech.headers().values("X-Request-ID").get(0);
      InputStream body = speech.body();
      byte[] first = MockAudioApi.SPEECH_CHUNKS.get(0);
      // The mock holds its last chunk until the gate opens: these bytes were relayed before the
      // upstream's answer was complete.
      byte[] start = body.readNBytes(first.length);
      assertThat(start).isEqualTo(first);
      received.write(start);
      mock.openGate();
      received.write(body.readAllBytes());
    }
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (byte[] chunk : MockAudioApi.SPEECH_CHUNKS) {
      expected.write(chunk);
    }
    assertThat(received.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(mock.lastReceived().body().path("model").asText()).isEqualTo("tts-gated");
    assertThat(mock.lastReceived().body().path("input").asText()).isEqualTo(input);

    Map<String, Object> row = RequestLogs.awaitRow(db, requestId);
    assertThat(row.get("endpoint")).isEqualTo("audio_speech");
    assertThat(row.get("unit_kind")).isEqualTo("characters");
    assertThat(((Number) row.get("units")).doubleValue()).isEqualTo(input.length());
    // 13 characters at $15 per million characters.
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(195_000L);
  }

  @Test
  void speechAsEventsIsRelayedAndChargedForItsTokens() throws Exception {
    var response =
        gateway.client(
            "POST",
            "/v1/audio/speech",
            key,
            "{\"model\":\"mini-tts\",\"input\":\"Hi\",\"voice\":\"alloy\",\"stream_format\":\"sse\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    assertThat(response.body()).contains("speech.audio.delta").contains("speech.audio.done");
    Map<String, Object> row =
        RequestLogs.awaitRow(db, response.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(10);
    assertThat(RequestLogs.number(row, "output_tokens")).isEqualTo(90);
    assertThat(row.get("unit_kind")).isNull();
    // 10 tokens at $0.60/M and 90 at $12/M.
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(6_000L + 1_080_000L);
  }

  @Test
  void azureGetsTheUploadAtItsDeploymentUrlWithItsKeyHeader() throws Exception {
    var raw =
        client
            .audio()
            .transcriptions()
            .withRawResponse()
            .create(
                TranscriptionCreateParams.builder().file(wavFile()).model("azure-whisper").build());
    assertThat(raw.parse().asTranscription().text()).isEqualTo("Hello from mock");
    MockAudioApi.Upload upload = lastUpload();
    assertThat(upload.path()).isEqualTo("/openai/deployments/my-whisper/audio/transcriptions");
    assertThat(upload.headers()).containsEntry("api-key", AZURE_KEY);
    assertThat(upload.headers()).doesNotContainKey("authorization");
    assertThat(upload.fields()).containsEntry("model", "my-whisper");
    assertThat(upload.file()).isEqualTo(WAV);
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw.headers()));
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(200_000L);
  }

  @Test
  void groqsWhisperGetsTheUploadAtItsOpenAiPathWithItsOwnModelAndKey() throws Exception {
    var raw =
        client
            .audio()
            .transcriptions()
            .withRawResponse()
            .create(
                TranscriptionCreateParams.builder().file(wavFile()).model("groq-whisper").build());
    assertThat(raw.parse().asTranscription().text()).isEqualTo("Hello from mock");
    MockAudioApi.Upload upload = lastUpload();
    assertThat(upload.path()).endsWith("/audio/transcriptions");
    assertThat(upload.headers()).containsEntry("authorization", "Bearer groq-audio-secret");
    assertThat(upload.fields()).containsEntry("model", "whisper-large-v3");
    assertThat(upload.file()).isEqualTo(WAV);
  }

  @Test
  void aBudgetReservesTheAudiosLengthAndTheCharactersToSpeak() throws Exception {
    // $0.0003 covers the 2-second WAV ($0.0002) once, not twice: the first call's reservation is
    // settled at its real cost, the second finds $0.0001 left and is refused before any upload.
    String limited =
        gateway.createKey("{\"name\":\"audio-budget\",\"maxBudget\":0.0003}").get("key").asText();
    String original = key;
    key = limited;
    try {
      assertThat(upload("/v1/audio/transcriptions", "whisper", "json", WAV).statusCode())
          .isEqualTo(200);
      int uploads = mock.audioUploads().size();
      var refused = upload("/v1/audio/transcriptions", "whisper", "json", WAV);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(402);
      assertThat(mock.audioUploads()).hasSize(uploads);
      // 6 characters at $15 per million: $0.00009, within what is left.
      var speech =
          gateway.client(
              "POST",
              "/v1/audio/speech",
              limited,
              "{\"model\":\"speech\",\"input\":\"Hello!\",\"voice\":\"alloy\"}");
      assertThat(speech.statusCode()).as(speech.body()).isEqualTo(200);
    } finally {
      key = original;
    }
  }

  @Test
  void anUploadOverTheBodyLimitIsRefusedWith413() throws Exception {
    // Expect: 100-continue, so that the client reads the 413 (sent on the Content-Length alone)
    // instead of racing it with the upload it would otherwise still be writing.
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/audio/transcriptions")))
            .timeout(Duration.ofSeconds(30))
            .expectContinue(true)
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "multipart/form-data; boundary=x")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[BODY_LIMIT + 1]))
            .build();
    var response =
        HttpClient.newHttpClient()
            .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
        .contains(Integer.toString(BODY_LIMIT));
  }

  @Test
  void aFormWithoutAFileOrNotMultipartIsRefusedWith400() throws Exception {
    var noFile =
        send(
            "/v1/audio/transcriptions",
            "multipart/form-data; boundary=XyZ",
            "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n--XyZ--\r\n"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(noFile.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noFile.body()).path("error").path("param").asText()).isEqualTo("file");
    var json = gateway.client("POST", "/v1/audio/transcriptions", key, "{\"model\":\"whisper\"}");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(json.body()).contains("multipart/form-data");
  }

  @Test
  void aFailedUploadIsSentWholeToTheNextDeploymentWithItsOwnModel() throws Exception {
    int before = mock.audioUploads().size();
    var response = upload("/v1/audio/transcriptions", "whisper-failover", "json", WAV);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Conduit-Attempts")).hasValue("2");
    List<MockAudioApi.Upload> uploads = mock.audioUploads();
    assertThat(uploads).hasSize(before + 2);
    assertThat(uploads.get(before).fields()).containsEntry("model", "fail-503");
    assertThat(uploads.get(before + 1).fields()).containsEntry("model", "my-whisper");
    assertThat(uploads.get(before + 1).file()).isEqualTo(WAV);
    assertThat(uploads.get(before + 1).path())
        .isEqualTo("/openai/deployments/my-whisper/audio/transcriptions");
  }

  @Test
  void anUpstreamErrorKeepsItsStatusAndOpenAiShape() throws Exception {
    var response = upload("/v1/audio/transcriptions", "broken-whisper", "json", WAV);
    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("message").asText()).contains("mock 503");
    assertThat(response.body()).doesNotContain(Yaml.UPSTREAM_KEY);
  }

  private MockAudioApi.Upload lastUpload() {
    List<MockAudioApi.Upload> uploads = mock.audioUploads();
    return uploads.get(uploads.size() - 1);
  }

  private static String requestId(com.openai.core.http.Headers headers) {
    return headers.values("X-Request-ID").get(0);
  }

  /** A form as a caller without the SDK sends it. */
  private java.net.http.HttpResponse<String> upload(
      String path, String model, String format, byte[] file) throws Exception {
    return upload(path, model, format, file, "false");
  }

  private java.net.http.HttpResponse<String> upload(
      String path, String model, String format, byte[] file, String stream) throws Exception {
    String boundary = "conduit-test-boundary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String fields =
        "--%1$s\r\nContent-Disposition: form-data; name=\"stream\"\r\n\r\n%4$s\r\n"
            + "--%1$s\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n%2$s\r\n"
            + "--%1$s\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\n%3$s\r\n"
            + "--%1$s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
            + "Content-Type: audio/wav\r\n\r\n";
    body.write(fields.formatted(boundary, model, format, stream).getBytes(StandardCharsets.UTF_8));
    body.write(file);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(path, "multipart/form-data; boundary=" + boundary, body.toByteArray());
  }

  private java.net.http.HttpResponse<String> send(String path, String contentType, byte[] body)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(gateway.clientUrl(path)))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return HttpClient.newHttpClient()
        .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /** A PCM WAV file of {@code seconds} at 16 kHz, mono, 16 bits. */
  static byte[] wav(double seconds) {
    int byteRate = 16_000 * 2;
    int data = (int) (seconds * byteRate);
    ByteBuffer wav = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data);
    wav.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    wav.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    wav.putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(byteRate);
    wav.putShort((short) 2).putShort((short) 16);
    wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data);
    for (int i = 0; i < data; i++) {
      wav.put((byte) (i * 31));
    }
    return wav.array();
  }
}
