package dev.conduit.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.EmbeddingRequest;
import dev.conduit.core.EmbeddingResponse;
import dev.conduit.core.Json;
import dev.conduit.core.Usage;
import dev.conduit.provider.InvalidUpstreamResponse;
import dev.conduit.provider.UpstreamJson;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical embeddings to and from Google's two embeddings APIs:
 *
 * <ul>
 *   <li>Gemini API {@code models/{model}:batchEmbedContents}
 *       (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents): one request per
 *       input, each naming the model; answers {@code embeddings[].values}, without token counts;
 *   <li>Vertex AI {@code publishers/google/models/{model}:predict}
 *       (https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/
 *       text-embeddings-api): one instance per input; answers {@code
 *       predictions[].embeddings.values} with each input's {@code statistics.token_count}.
 * </ul>
 */
public final class GeminiEmbeddings {
  private static final ObjectMapper JSON = Json.MAPPER;

  private GeminiEmbeddings() {}

  /** A {@code batchEmbedContents} body for the Gemini API. */
  public static Buffer toGeminiApi(EmbeddingRequest request, String model) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode requests = body.putArray("requests");
    String resource = model.contains("/") ? model : "models/" + model;
    for (String input : request.inputs()) {
      ObjectNode item = requests.addObject().put("model", resource);
      item.putObject("content").putArray("parts").addObject().put("text", input);
      if (request.dimensions() != null) {
        item.put("outputDimensionality", request.dimensions());
      }
    }
    return Buffer.buffer(body.toString());
  }

  /** A {@code predict} body for Vertex AI. */
  public static Buffer toVertex(EmbeddingRequest request) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode instances = body.putArray("instances");
    request.inputs().forEach(input -> instances.addObject().put("content", input));
    if (request.dimensions() != null) {
      body.putObject("parameters").put("outputDimensionality", request.dimensions());
    }
    return Buffer.buffer(body.toString());
  }

  /** Reads a {@code batchEmbedContents} answer. */
  public static EmbeddingResponse fromGeminiApi(Buffer body, int inputs) {
    JsonNode embeddings = UpstreamJson.readObject(body).path("embeddings");
    List<double[]> vectors = new ArrayList<>();
    for (JsonNode embedding : embeddings) {
      vectors.add(values(embedding.path("values")));
    }
    check(vectors, inputs);
    return new EmbeddingResponse(null, vectors, Usage.NONE);
  }

  /** Reads a Vertex {@code predict} answer; the token counts are summed. */
  public static EmbeddingResponse fromVertex(Buffer body, int inputs) {
    JsonNode predictions = UpstreamJson.readObject(body).path("predictions");
    List<double[]> vectors = new ArrayList<>();
    long tokens = 0;
    for (JsonNode prediction : predictions) {
      JsonNode embeddings = prediction.path("embeddings");
      vectors.add(values(embeddings.path("values")));
      tokens += embeddings.path("statistics").path("token_count").asLong(0);
    }
    check(vectors, inputs);
    return new EmbeddingResponse(null, vectors, Usage.of(tokens, 0));
  }

  private static double[] values(JsonNode values) {
    if (!values.isArray()) {
      throw new InvalidUpstreamResponse("an embedding has no values");
    }
    double[] vector = new double[values.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonNode value = values.get(i);
      if (!value.isNumber()) {
        throw new InvalidUpstreamResponse("an embedding value is not a number");
      }
      vector[i] = value.asDouble();
    }
    return vector;
  }

  private static void check(List<double[]> vectors, int inputs) {
    if (vectors.size() != inputs) {
      throw new InvalidUpstreamResponse(
          "the response has " + vectors.size() + " embeddings for " + inputs + " inputs");
    }
  }
}
