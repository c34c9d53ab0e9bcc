package dev.conduit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.api.MultipartBody;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * OpenAI's Images API for {@link MockUpstream}: {@code /images/generations} (JSON) and {@code
 * /images/edits} (multipart, read with {@link #form}). It answers {@code n} images as {@code url}
 * or {@code b64_json} (the default for gpt-image models, whose answers also carry {@code size},
 * {@code quality} and {@code usage}, as OpenAI's do); dall-e-3 answers carry a {@code
 * revised_prompt}. A model named {@code one-image} returns a single image whatever {@code n} asks.
 */
final class MockImagesApi {
  /** A 1x1 transparent PNG. */
  static final String PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

  static final long CREATED = 1_764_700_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  void answer(HttpServerResponse response, JsonNode body, String model) {
    int n = model.equals("one-image") ? 1 : Math.max(1, body.path("n").asInt(1));
    boolean gptImage = model.startsWith("gpt-image");
    String format = body.path("response_format").asText(gptImage ? "b64_json" : "url");
    ObjectNode root = JSON.createObjectNode().put("created", CREATED);
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < n; i++) {
      ObjectNode image = data.addObject();
      if (format.equals("b64_json")) {
        image.put("b64_json", PNG);
      } else {
        image.put("url", "https://images.mock.example/" + model + "/" + i + ".png");
      }
      if (model.equals("dall-e-3")) {
        image.put("revised_prompt", "A detailed " + body.path("prompt").asText());
      }
    }
    if (gptImage) {
      String size = body.path("size").asText("auto");
      String quality = body.path("quality").asText("auto");
      root.put("size", size.equals("auto") ? "1024x1536" : size);
      root.put("quality", quality.equals("auto") ? "medium" : quality);
      root.put("output_format", "png");
      ObjectNode usage = root.putObject("usage");
      usage
          .put("input_tokens", 50)
          .put("output_tokens", 1056 * n)
          .put("total_tokens", 50 + 1056 * n);
    }
    response.setStatusCode(200).putHeader("Content-Type", "application/json").end(root.toString());
  }

  /**
   * A multipart body as JSON: each text field by name; each file (a part with a file name or a
   * content type) as {@code {"filename", "contentType", "size", "sha256"}} (several files of one
   * name as an array).
   */
  static ObjectNode form(byte[] body, String contentType) {
    MultipartBody form = MultipartBody.parse(body, MultipartBody.boundary(contentType));
    ObjectNode json = JSON.createObjectNode();
    for (MultipartBody.Part part : form.parts()) {
      // SDKs do not always name files; a part typed other than text is one too.
      if (!part.isFile()
          && (part.contentType() == null || part.contentType().startsWith("text/plain"))) {
        json.put(part.name(), form.text(part));
        continue;
      }
      ObjectNode file = JSON.createObjectNode();
      file.put("filename", part.filename());
      file.put("contentType", part.contentType());
      file.put("size", part.size());
      file.put("sha256", sha256(body, part.contentStart(), part.size()));
      JsonNode earlier = json.get(part.name());
      if (earlier == null) {
        json.set(part.name(), file);
      } else if (earlier.isArray()) {
        ((ArrayNode) earlier).add(file);
      } else {
        json.putArray(part.name()).add(earlier).add(file);
      }
    }
    return json;
  }

  static String sha256(byte[] bytes, int offset, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, offset, length);
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return sha256(bytes, 0, bytes.length);
  }
}
