package dev.conduit.api.openai.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.models.images.Image;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImagesResponse;
import dev.conduit.provider.aws.AwsCredentials;
import dev.conduit.testing.BedrockMockUpstream;
import dev.conduit.testing.GeminiMockUpstream;
import dev.conduit.testing.MockTokenEndpoint;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.RequestLogs;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import dev.conduit.testing.Yaml;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /v1/images/generations} and {@code /v1/images/edits} through the whole gateway, with the
 * official OpenAI SDK as the client: OpenAI and Azure OpenAI forwarded (model rewritten, files byte
 * for byte), Imagen on Vertex AI and the Gemini API translated; each call charged per image
 * returned at its size and quality (the shipped prices), reserved against budgets, logged with its
 * units.
 */
// The SDK's raw responses are read whole by parse().
@SuppressWarnings("MustBeClosedChecker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesApiTest {
  private static final String GEMINI_KEY = "AIzaSy-test-gemini-key-0123456789";
  private static final byte[] IMAGE =
      "\u0089PNG\r\n\u001a\nnot really a png".getBytes(StandardCharsets.ISO_8859_1);
  private static final AwsCredentials AWS =
      new AwsCredentials(
          "AKIATESTGATEWAY01", "test/Secret+Access/Key0123456789abcdefghij", "session-token-x");
  private static final byte[] MASK = "mask-bytes".getBytes(StandardCharsets.ISO_8859_1);

  private MockUpstream openai;
  private GeminiMockUpstream gemini;
  private MockTokenEndpoint tokens;
  private BedrockMockUpstream bedrock;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private OpenAIClient client;
  private String key;

  @BeforeAll
  void start() throws Exception {
    openai = new MockUpstream();
    gemini = new GeminiMockUpstream(GEMINI_KEY);
    tokens = new MockTokenEndpoint();
    bedrock = new BedrockMockUpstream(AWS, "us-east-1", "bedrock-api-key-test-0123456789");
    db = TestDatabases.sqlite();
    Path keyFile = Files.createTempFile("service-account", ".json");
    keyFile.toFile().deleteOnExit();
    Files.writeString(keyFile, tokens.serviceAccountJson());
    String yaml =
        """
        server:
          eventLoops: 2
          maxBodyBytes: 200000
        database:
          url: "%1$s"
        routing:
          healthCheckIntervalMs: 0
        requestLog:
          batchSize: 10
        providers:
          - name: openai
            type: openai
            baseUrl: %2$s
            apiKey: %3$s
          - name: together
            type: together
            baseUrl: %2$s
            apiKey: together-images-secret
          - name: azure
            type: azure
            baseUrl: http://127.0.0.1:%4$d
            apiKey: azure-test-key-0123456789
            apiVersion: 2025-04-01-preview
          - name: vertex
            type: googlecloud
            baseUrl: %5$s
            project: test-project
            region: us-central1
            serviceAccountFile: %6$s
          - name: gemini
            type: googlecloud
            baseUrl: %5$s
            apiKey: %7$s
          - name: bedrock
            type: bedrock
            baseUrl: %8$s
            region: us-east-1
            accessKeyId: %9$s
            secretAccessKey: %10$s
            sessionToken: %11$s
        models:
          - alias: painter
            deployments: [{ provider: openai, model: dall-e-3 }]
          - alias: sketcher
            deployments: [{ provider: openai, model: dall-e-2 }]
          - alias: gpt-image
            deployments: [{ provider: openai, model: gpt-image-1 }]
          - alias: azure-painter
            deployments: [{ provider: azure, model: my-dalle-deployment }]
          - alias: together-painter
            deployments: [{ provider: together, model: black-forest-labs/FLUX.1-schnell }]
          - alias: imagen
            deployments: [{ provider: vertex, model: imagen-4.0-generate-001 }]
          - alias: imagen-fast
            deployments: [{ provider: gemini, model: imagen-4.0-fast-generate-001 }]
          - alias: imagen-filtered
            deployments: [{ provider: vertex, model: imagen-filtered }]
          - alias: nano-banana
            deployments: [{ provider: gemini, model: gemini-2.5-flash-image }]
          - alias: vertex-banana
            deployments: [{ provider: vertex, model: gemini-2.5-flash-image }]
          - alias: gemini-chat
            deployments: [{ provider: gemini, model: gemini-2.5-flash }]
          - alias: canvas
            deployments: [{ provider: bedrock, model: "amazon.nova-canvas-v1:0" }]
          - alias: canvas-blocked
            deployments: [{ provider: bedrock, model: "amazon.nova-canvas-blocked" }]
          - alias: stingy
            deployments: [{ provider: openai, model: one-image }]
          - alias: failover-painter
            deployments:
              - { provider: openai, model: fail-503 }
              - { provider: openai, model: dall-e-3 }
        """
            .formatted(
                db.url(),
                openai.baseUrl(),
                Yaml.UPSTREAM_KEY,
                openai.port(),
                gemini.baseUrl(),
                keyFile,
                GEMINI_KEY,
                bedrock.baseUrl(),
                AWS.accessKeyId(),
                AWS.secretAccessKey(),
                AWS.sessionToken());
    gateway = TestGateway.start(yaml);
    key = gateway.newKey();
    client = gateway.openAi(key);
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    openai.close();
    gemini.close();
    tokens.close();
    bedrock.close();
    db.close();
  }

  @Test
  void anOpenAiCompatiblePresetGetsGenerationsForwardedWithItsModelAndKey() throws Exception {
    ImagesResponse images =
        client
            .images()
            .generate(
                ImageGenerateParams.builder()
                    .model("together-painter")
                    .prompt("a lighthouse at dusk")
                    .build());

    assertThat(images.data().orElseThrow()).hasSize(1);
    MockUpstream.Received sent = openai.lastReceived();
    assertThat(sent.path()).isEqualTo("/v1/images/generations");
    assertThat(sent.body().path("model").asText()).isEqualTo("black-forest-labs/FLUX.1-schnell");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer together-images-secret");
  }

  @Test
  void openAiGenerationsAreForwardedWithTheModelRewrittenAndChargedPerImageAtTheirVariant()
      throws Exception {
    HttpResponseFor<ImagesResponse> raw =
        client
            .images()
            .withRawResponse()
            .generate(
                ImageGenerateParams.builder()
                    .model("painter")
                    .prompt("a lighthouse at dusk")
                    .n(2)
                    .size(ImageGenerateParams.Size._1024X1792)
                    .quality(ImageGenerateParams.Quality.HD)
                    .build());
    ImagesResponse images = raw.parse();

    assertThat(images.data().orElseThrow()).hasSize(2);
    assertThat(images.data().orElseThrow().get(0).url().orElseThrow())
        .isEqualTo("https://images.mock.example/dall-e-3/0.png");
    assertThat(images.data().orElseThrow().get(0).revisedPrompt())
        .contains("A detailed a lighthouse at dusk");
    MockUpstream.Received sent = openai.lastReceived();
    assertThat(sent.path()).isEqualTo("/v1/images/generations");
    assertThat(sent.body().path("model").asText()).isEqualTo("dall-e-3");
    assertThat(sent.body().path("prompt").asText()).isEqualTo("a lighthouse at dusk");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + Yaml.UPSTREAM_KEY);
    assertThat(raw.headers().values("X-Conduit-Cost")).containsExactly("0.24");

    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw));
    assertThat(row.get("endpoint")).isEqualTo("image_generations");
    assertThat(row.get("model")).isEqualTo("painter");
    assertThat(row.get("provider_model")).isEqualTo("dall-e-3");
    assertThat(row.get("unit_kind")).isEqualTo("images");
    assertThat(((Number) row.get("units")).doubleValue()).isEqualTo(2.0);
    // dall-e-3 HD 1024x1792: $0.12 per image.
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(240_000_000L);
  }

  @Test
  void editsGoUpstreamAsMultipartWithTheFilesByteForByte() throws Exception {
    HttpResponseFor<ImagesResponse> raw =
        client
            .images()
            .withRawResponse()
            .edit(
                ImageEditParams.builder()
                    .model("sketcher")
                    .image(IMAGE)
                    .mask(MASK)
                    .prompt("add a red boat")
                    .n(3)
                    .size(ImageEditParams.Size._512X512)
                    .responseFormat(ImageEditParams.ResponseFormat.B64_JSON)
                    .build());
    ImagesResponse images = raw.parse();

    assertThat(images.data().orElseThrow())
        .hasSize(3)
        .allSatisfy(image -> assertThat(image.b64Json()).isPresent());
    MockUpstream.Received sent = openai.lastReceived();
    assertThat(sent.path()).isEqualTo("/v1/images/edits");
    assertThat(sent.headers().get("content-type")).startsWith("multipart/form-data; boundary=");
    assertThat(sent.body().path("model").asText()).isEqualTo("dall-e-2");
    assertThat(sent.body().path("prompt").asText()).isEqualTo("add a red boat");
    assertThat(sent.body().path("n").asText()).isEqualTo("3");
    assertThat(sent.body().path("image").path("sha256").asText()).isEqualTo(sha256(IMAGE));
    assertThat(sent.body().path("image").path("size").asInt()).isEqualTo(IMAGE.length);
    assertThat(sent.body().path("mask").path("sha256").asText()).isEqualTo(sha256(MASK));

    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw));
    assertThat(row.get("endpoint")).isEqualTo("image_edits");
    assertThat(((Number) row.get("units")).doubleValue()).isEqualTo(3.0);
    // dall-e-2 at 512x512: $0.018 per image.
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(54_000_000L);
  }

  @Test
  void aModelLeftToChooseIsChargedForTheSizeAndQualityItReports() throws Exception {
    HttpResponseFor<ImagesResponse> raw =
        client
            .images()
            .withRawResponse()
            .generate(ImageGenerateParams.builder().model("gpt-image").prompt("a fox").build());

    assertThat(raw.parse().data().orElseThrow().get(0).b64Json()).isPresent();
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw));
    // The mock made 1024x1536 at medium: $0.063; plus 50 prompt tokens at $5 per million.
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(63_000_000L + 250_000L);
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(50);
  }

  @Test
  void azureIsCalledOnItsDeploymentsImagesPath() throws Exception {
    ImagesResponse images =
        client
            .images()
            .generate(
                ImageGenerateParams.builder()
                    .model("azure-painter")
                    .prompt("a bridge")
                    .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON)
                    .build());

    assertThat(images.data().orElseThrow()).hasSize(1);
    MockUpstream.Received sent = openai.lastReceived();
    assertThat(sent.path()).isEqualTo("/openai/deployments/my-dalle-deployment/images/generations");
    assertThat(sent.query()).isEqualTo("api-version=2025-04-01-preview");
    assertThat(sent.headers().get("api-key")).isEqualTo("azure-test-key-0123456789");
    assertThat(sent.body().path("model").asText()).isEqualTo("my-dalle-deployment");
  }

  @Test
  void azureEditsGoToTheDeploymentsEditsPathAsMultipart() throws Exception {
    ImagesResponse images =
        client
            .images()
            .edit(
                ImageEditParams.builder()
                    .model("azure-painter")
                    .image(IMAGE)
                    .prompt("make it night")
                    .responseFormat(ImageEditParams.ResponseFormat.B64_JSON)
                    .build());

    assertThat(images.data().orElseThrow()).hasSize(1);
    MockUpstream.Received sent = openai.lastReceived();
    assertThat(sent.path()).isEqualTo("/openai/deployments/my-dalle-deployment/images/edits");
    assertThat(sent.query()).isEqualTo("api-version=2025-04-01-preview");
    assertThat(sent.headers().get("api-key")).isEqualTo("azure-test-key-0123456789");
    assertThat(sent.headers().get("content-type")).startsWith("multipart/form-data; boundary=");
    assertThat(sent.body().path("model").asText()).isEqualTo("my-dalle-deployment");
    assertThat(sent.body().path("image").path("sha256").asText()).isEqualTo(sha256(IMAGE));
  }

  @Test
  void imageCallsAreCountedAndCostedInTheMetrics() throws Exception {
    client
        .images()
        .generate(ImageGenerateParams.builder().model("sketcher").prompt("a cloud").n(2).build());

    String metrics = gateway.client("GET", "/metrics", null, null).body();
    assertThat(metrics)
        .containsPattern(
            "conduit_llm_requests_total\\{[^}]*model=\"sketcher\"[^}]*status=\"success\"[^}]*\\} [1-9]")
        .containsPattern("conduit_llm_cost_usd_total\\{[^}]*model=\"sketcher\"[^}]*\\} 0\\.0[4-9]");
  }

  @Test
  void imagenOnVertexAiIsTranslatedBothWays() throws Exception {
    HttpResponseFor<ImagesResponse> raw =
        client
            .images()
            .withRawResponse()
            .generate(
                ImageGenerateParams.builder()
                    .model("imagen")
                    .prompt("a snowy owl")
                    .n(2)
                    .size(ImageGenerateParams.Size._1792X1024)
                    .build());
    List<Image> images = raw.parse().data().orElseThrow();

    assertThat(images)
        .hasSize(2)
        .allSatisfy(image -> assertThat(image.b64Json()).contains(GeminiMockUpstream.IMAGEN_PNG));
    GeminiMockUpstream.Received sent = gemini.lastReceived();
    assertThat(sent.path())
        .isEqualTo(
            "/v1/projects/test-project/locations/us-central1/publishers/google/models/"
                + "imagen-4.0-generate-001:predict");
    assertThat(sent.headers().get("authorization")).startsWith("Bearer token-");
    assertThat(sent.body())
        .isEqualTo(
            TestGateway.json(
                "{\"instances\":[{\"prompt\":\"a snowy owl\"}],"
                    + "\"parameters\":{\"sampleCount\":2,\"aspectRatio\":\"16:9\"}}"));
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw));
    assertThat(row.get("provider")).isEqualTo("vertex");
    assertThat(((Number) row.get("units")).doubleValue()).isEqualTo(2.0);
    // imagen-4.0-generate-001: $0.04 per image.
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(80_000_000L);
  }

  @Test
  void geminiImageOutputOnVertexAiGoesToItsGenerateContentWithTheToken() {
    ImagesResponse images =
        client
            .images()
            .generate(
                ImageGenerateParams.builder().model("vertex-banana").prompt("a banana").build());

    assertThat(images.data().orElseThrow().get(0).b64Json())
        .contains(GeminiMockUpstream.IMAGEN_PNG);
    GeminiMockUpstream.Received sent = gemini.lastReceived();
    assertThat(sent.path())
        .isEqualTo(
            "/v1/projects/test-project/locations/us-central1/publishers/google/models/"
                + "gemini-2.5-flash-image:generateContent");
    assertThat(sent.headers().get("authorization")).startsWith("Bearer token-");
    assertThat(sent.body().at("/generationConfig/responseModalities/0").asText())
        .isEqualTo("IMAGE");
  }

  @Test
  void imagenOnTheGeminiApiTakesTheKey() {
    ImagesResponse images =
        client
            .images()
            .generate(ImageGenerateParams.builder().model("imagen-fast").prompt("a kite").build());

    assertThat(images.data().orElseThrow()).hasSize(1);
    GeminiMockUpstream.Received sent = gemini.lastReceived();
    assertThat(sent.path()).isEqualTo("/v1beta/models/imagen-4.0-fast-generate-001:predict");
    assertThat(sent.headers().get("x-goog-api-key")).isEqualTo(GEMINI_KEY);
  }

  @Test
  void novaCanvasOnBedrockIsInvokedSignedAndTranslatedBothWays() throws Exception {
    HttpResponseFor<ImagesResponse> raw =
        client
            .images()
            .withRawResponse()
            .generate(
                ImageGenerateParams.builder()
                    .model("canvas")
                    .prompt("a paper crane")
                    .n(2)
                    .size(ImageGenerateParams.Size._1024X1024)
                    .quality(ImageGenerateParams.Quality.HD)
                    .build());

    assertThat(raw.parse().data().orElseThrow())
        .hasSize(2)
        .allSatisfy(image -> assertThat(image.b64Json()).contains(BedrockMockUpstream.IMAGE_PNG));
    BedrockMockUpstream.Received sent = bedrock.lastReceived();
    assertThat(sent.path()).isEqualTo("/model/amazon.nova-canvas-v1%3A0/invoke");
    assertThat(sent.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256");
    assertThat(sent.body())
        .isEqualTo(
            TestGateway.json(
                "{\"taskType\":\"TEXT_IMAGE\",\"textToImageParams\":{\"text\":\"a paper crane\"},"
                    + "\"imageGenerationConfig\":{\"numberOfImages\":2,\"width\":1024,"
                    + "\"height\":1024,\"quality\":\"premium\"}}"));
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw));
    // Nova Canvas premium up to 1024x1024: $0.06 per image.
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(120_000_000L);

    HttpResponse<String> blocked =
        gateway.client(
            "POST",
            "/v1/images/generations",
            key,
            "{\"model\":\"canvas-blocked\",\"prompt\":\"x\"}");
    assertThat(blocked.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(blocked.body()).path("error").path("code").asText())
        .isEqualTo("image_filtered");
  }

  @Test
  void geminiImageOutputIsTranslatedAndChargedPerImagePlusItsPrompt() throws Exception {
    HttpResponseFor<ImagesResponse> raw =
        client
            .images()
            .withRawResponse()
            .generate(
                ImageGenerateParams.builder()
                    .model("nano-banana")
                    .prompt("a banana boat")
                    .size(ImageGenerateParams.Size._1024X1536)
                    .build());

    assertThat(raw.parse().data().orElseThrow().get(0).b64Json())
        .contains(GeminiMockUpstream.IMAGEN_PNG);
    GeminiMockUpstream.Received sent = gemini.lastReceived();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash-image:generateContent");
    assertThat(sent.body())
        .isEqualTo(
            TestGateway.json(
                "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"a banana boat\"}]}],"
                    + "\"generationConfig\":{\"responseModalities\":[\"IMAGE\"],"
                    + "\"imageConfig\":{\"aspectRatio\":\"3:4\"}}}"));
    Map<String, Object> row = RequestLogs.awaitRow(db, requestId(raw));
    // $0.039 per image, and 9 prompt tokens at $0.30 per million.
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(39_000_000L + 2_700L);
    assertThat(RequestLogs.number(row, "input_tokens")).isEqualTo(9);
  }

  @Test
  void whatATranslatedProviderCannotDoIsAClear400NamingTheModel() throws Exception {
    assertThatThrownBy(
            () ->
                client
                    .images()
                    .generate(
                        ImageGenerateParams.builder()
                            .model("imagen")
                            .prompt("an owl")
                            .responseFormat(ImageGenerateParams.ResponseFormat.URL)
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("b64_json")
        .hasMessageContaining("'imagen'");
    assertThatThrownBy(
            () ->
                client
                    .images()
                    .edit(
                        ImageEditParams.builder()
                            .model("imagen")
                            .image(IMAGE)
                            .prompt("add snow")
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("'imagen'")
        .hasMessageContaining("images/edits");
    assertThatThrownBy(
            () ->
                client
                    .images()
                    .generate(
                        ImageGenerateParams.builder().model("gemini-chat").prompt("x").build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("gemini-2.5-flash")
        .hasMessageContaining("not an Imagen model");
    assertThatThrownBy(
            () ->
                client
                    .images()
                    .generate(
                        ImageGenerateParams.builder().model("imagen").prompt("x").n(5).build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("at most 4");
    HttpResponse<String> filtered =
        gateway.client(
            "POST",
            "/v1/images/generations",
            key,
            "{\"model\":\"imagen-filtered\",\"prompt\":\"x\"}");
    assertThat(filtered.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(filtered.body()).path("error").path("code").asText())
        .isEqualTo("image_filtered");
  }

  @Test
  void aFailingDeploymentFallsOverBeforeAnythingReachesTheCaller() throws Exception {
    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/images/generations",
            key,
            "{\"model\":\"failover-painter\",\"prompt\":\"a boat\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Conduit-Attempts")).contains("2");
    assertThat(TestGateway.json(response.body()).path("data")).hasSize(1);
  }

  @Test
  void aBudgetReservesEveryImageAskedForAtItsVariantsPrice() throws Exception {
    String limited =
        gateway.createKey("{\"name\":\"ten-cents\",\"maxBudget\":0.1}").get("key").asText();

    HttpResponse<String> refused =
        gateway.client(
            "POST",
            "/v1/images/generations",
            limited,
            "{\"model\":\"painter\",\"prompt\":\"x\",\"n\":3,\"size\":\"1024x1792\",\"quality\":\"hd\"}");
    HttpResponse<String> admitted =
        gateway.client(
            "POST",
            "/v1/images/generations",
            limited,
            "{\"model\":\"painter\",\"prompt\":\"x\",\"n\":2}");

    // 3 x $0.12 = $0.36 is more than the budget; 2 x $0.04 is not.
    assertThat(refused.statusCode()).isEqualTo(402);
    assertThat(refused.body()).contains("budget");
    assertThat(admitted.statusCode()).isEqualTo(200);
  }

  @Test
  void theCallIsChargedForTheImagesReturnedNotThoseAskedFor() throws Exception {
    HttpResponse<String> priced =
        gateway.admin(
            "POST",
            "/api/admin/model-costs",
            "{\"provider\":\"openai\",\"model\":\"one-image\",\"inputPerMillion\":0,"
                + "\"outputPerMillion\":0,\"perImage\":0.05,"
                + "\"perImageVariant\":{\"512x512\":0.03}}");
    assertThat(priced.statusCode()).isEqualTo(201);
    assertThat(TestGateway.json(priced.body()).path("perImageVariant").path("512x512").asText())
        .isEqualTo("0.03");
    String limited =
        gateway.createKey("{\"name\":\"twenty-cents\",\"maxBudget\":0.2}").get("key").asText();

    HttpResponse<String> response =
        gateway.client(
            "POST",
            "/v1/images/generations",
            limited,
            "{\"model\":\"stingy\",\"prompt\":\"x\",\"n\":3,\"size\":\"512x512\"}");

    // Reserved 3 x $0.03 (within $0.20); one image came back: $0.03 charged.
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestGateway.json(response.body()).path("data")).hasSize(1);
    assertThat(response.headers().firstValue("X-Conduit-Cost")).contains("0.03");
    Map<String, Object> row =
        RequestLogs.awaitRow(db, response.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(((Number) row.get("units")).doubleValue()).isEqualTo(1.0);
    assertThat(RequestLogs.number(row, "cost_nanos")).isEqualTo(30_000_000L);
  }

  @Test
  void requestsAreCheckedBeforeAnyUpstreamCall() throws Exception {
    assertThat(
            gateway
                .client(
                    "POST", "/v1/images/generations", key, "{\"model\":\"nope\",\"prompt\":\"x\"}")
                .statusCode())
        .isEqualTo(404);
    HttpResponse<String> noPrompt =
        gateway.client("POST", "/v1/images/generations", key, "{\"model\":\"painter\"}");
    assertThat(noPrompt.statusCode()).isEqualTo(400);
    assertThat(TestGateway.json(noPrompt.body()).path("error").path("param").asText())
        .isEqualTo("prompt");
    HttpResponse<String> json =
        gateway.client("POST", "/v1/images/edits", key, "{\"model\":\"painter\",\"prompt\":\"x\"}");
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(json.body()).contains("multipart/form-data");
    String onlyPainter =
        gateway
            .createKey("{\"name\":\"chat-only\",\"allowedModels\":[\"gpt-image\"]}")
            .get("key")
            .asText();
    assertThat(
            gateway
                .client(
                    "POST",
                    "/v1/images/generations",
                    onlyPainter,
                    "{\"model\":\"painter\",\"prompt\":\"x\"}")
                .statusCode())
        .isEqualTo(403);
    assertThat(gateway.client("GET", "/v1/images/generations", key, null).statusCode())
        .isEqualTo(405);
  }

  @Test
  void anEditOverTheBodyLimitIs413() throws Exception {
    byte[] big = new byte[300_000];
    String boundary = "----conduit-test-boundary";
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nsketcher\r\n--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\n"
            + "Content-Type: image/png\r\n\r\n";
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] body = new byte[head.length() + big.length + tail.length];
    System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, body, 0, head.length());
    System.arraycopy(tail, 0, body, head.length() + big.length, tail.length);
    // Expect: 100-continue, so that the client reads the 413 (sent on the Content-Length alone)
    // instead of racing it with the upload it would otherwise still be writing.
    HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway.clientUrl("/v1/images/edits")))
                    .expectContinue(true)
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
  }

  @Test
  void theModelsListShowsTheImageAliases() throws Exception {
    JsonNode models =
        TestGateway.json(gateway.client("GET", "/v1/models", key, null).body()).path("data");
    assertThat(models.findValuesAsText("id")).contains("painter", "imagen", "azure-painter");
  }

  private static String requestId(HttpResponseFor<?> raw) {
    return raw.headers().values("X-Request-ID").get(0);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
