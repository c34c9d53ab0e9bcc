package dev.conduit.provider.simulated;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conduit.core.Json;
import dev.conduit.core.Tokenizer;
import dev.conduit.provider.LocalUpstream;
import dev.conduit.provider.UpstreamExchange;
import dev.conduit.provider.UpstreamRequest;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-process model behind {@code type: simulated}. It answers OpenAI-format requests with a
 * deterministic reply that quotes the prompt, streamed a word every {@value #WORD_INTERVAL_MS} ms,
 * with real token counts (o200k tokenizer).
 */
public final class SimulatedUpstream implements LocalUpstream {
  static final String SCHEME = "simulated";
  private static final long WORD_INTERVAL_MS = 20;
  private static final int EMBEDDING_DIMENSIONS = 256;
  private static final ObjectMapper JSON = Json.MAPPER;

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public UpstreamExchange send(UpstreamRequest request, Context context) {
    JsonNode body;
    try {
      body = JSON.readTree(request.body().getBytes());
    } catch (IOException e) {
      return SimulatedResponse.error(context, 400, "invalid JSON");
    }
    String path = request.url().substring(request.url().indexOf("/v1/") + 4);
    String model = body.path("model").asText("simulated");
    return switch (path) {
      case "chat/completions" -> chat(context, body, model);
      case "completions" -> completion(context, body, model);
      case "embeddings" -> SimulatedResponse.whole(context, embeddings(body, model));
      default -> SimulatedResponse.error(context, 404, "unknown path " + path);
    };
  }

  private UpstreamExchange chat(Context context, JsonNode body, String model) {
    String prompt = lastUserText(body.path("messages"));
    String reply = replyTo(prompt, model);
    long promptTokens = Tokenizer.count(promptText(body.path("messages")));
    long completionTokens = Tokenizer.count(reply);
    String id = "chatcmpl-sim" + Integer.toHexString(reply.hashCode());
    if (!body.path("stream").asBoolean(false)) {
      ObjectNode response = envelope(id, "chat.completion", model);
      ObjectNode choice = response.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", reply);
      choice.put("finish_reason", "stop");
      response.set("usage", usage(promptTokens, completionTokens));
      return SimulatedResponse.whole(context, response);
    }
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    List<Buffer> events = new ArrayList<>();
    ObjectNode first = chunk(id, model, includeUsage);
    first
        .withArray("choices")
        .addObject()
        .put("index", 0)
        .putObject("delta")
        .put("role", "assistant")
        .put("content", "");
    events.add(event(first));
    for (String word : words(reply)) {
      ObjectNode piece = chunk(id, model, includeUsage);
      piece
          .withArray("choices")
          .addObject()
          .put("index", 0)
          .putObject("delta")
          .put("content", word);
      events.add(event(piece));
    }
    ObjectNode last = chunk(id, model, includeUsage);
    ObjectNode lastChoice = last.withArray("choices").addObject().put("index", 0);
    lastChoice.putObject("delta");
    lastChoice.put("finish_reason", "stop");
    events.add(event(last));
    if (includeUsage) {
      ObjectNode usageChunk = chunk(id, model, false);
      usageChunk.putArray("choices");
      usageChunk.set("usage", usage(promptTokens, completionTokens));
      events.add(event(usageChunk));
    }
    events.add(Buffer.buffer("data: [DONE]\n\n"));
    return SimulatedResponse.streamed(context, events, WORD_INTERVAL_MS);
  }

  private UpstreamExchange completion(Context context, JsonNode body, String model) {
    String prompt =
        body.path("prompt").isArray()
            ? body.path("prompt").path(0).asText("")
            : body.path("prompt").asText("");
    String reply = replyTo(prompt, model);
    String id = "cmpl-sim" + Integer.toHexString(reply.hashCode());
    if (body.path("stream").asBoolean(false)) {
      List<Buffer> events = new ArrayList<>();
      for (String word : words(reply)) {
        ObjectNode piece = envelope(id, "text_completion", model);
        piece
            .putArray("choices")
            .addObject()
            .put("index", 0)
            .put("text", word)
            .putNull("finish_reason");
        events.add(event(piece));
      }
      events.add(Buffer.buffer("data: [DONE]\n\n"));
      return SimulatedResponse.streamed(context, events, WORD_INTERVAL_MS);
    }
    ObjectNode response = envelope(id, "text_completion", model);
    response
        .putArray("choices")
        .addObject()
        .put("index", 0)
        .put("text", reply)
        .put("finish_reason", "stop");
    response.set("usage", usage(Tokenizer.count(prompt), Tokenizer.count(reply)));
    return SimulatedResponse.whole(context, response);
  }

  private static ObjectNode embeddings(JsonNode body, String model) {
    JsonNode input = body.path("input");
    List<String> texts = new ArrayList<>();
    if (input.isArray()) {
      input.forEach(item -> texts.add(item.isTextual() ? item.asText() : item.toString()));
    } else {
      texts.add(input.asText(""));
    }
    int dimensions = body.path("dimensions").asInt(EMBEDDING_DIMENSIONS);
    ObjectNode response = JSON.createObjectNode().put("object", "list");
    ArrayNode data = response.putArray("data");
    long tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      ArrayNode vector = item.putArray("embedding");
      for (double value : vectorOf(texts.get(i), dimensions)) {
        vector.add(value);
      }
      tokens += Tokenizer.count(texts.get(i));
    }
    response.put("model", model);
    response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return response;
  }

  /** A unit vector derived from the text's hash: equal texts get equal vectors. */
  private static double[] vectorOf(String text, int dimensions) {
    java.util.Random random = new java.util.Random(text.hashCode());
    double[] vector = new double[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      vector[i] = random.nextGaussian();
      norm += vector[i] * vector[i];
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < dimensions; i++) {
      vector[i] = Math.round(vector[i] / norm * 1e6) / 1e6;
    }
    return vector;
  }

  private static String replyTo(String prompt, String model) {
    String quoted = prompt.length() > 200 ? prompt.substring(0, 200) + "..." : prompt;
    return "Hello from Conduit's simulated model '"
        + model
        + "'. You said: \""
        + quoted
        + "\". No real model was called: add a provider with its API key to conduit.yaml to get "
        + "real answers.";
  }

  private static String lastUserText(JsonNode messages) {
    String text = "";
    for (JsonNode message : messages) {
      if ("user".equals(message.path("role").asText())) {
        text = contentText(message.path("content"));
      }
    }
    return text;
  }

  private static String promptText(JsonNode messages) {
    StringBuilder all = new StringBuilder();
    for (JsonNode message : messages) {
      all.append(message.path("role").asText())
          .append(": ")
          .append(contentText(message.path("content")))
          .append('\n');
    }
    return all.toString();
  }

  private static String contentText(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == ' ') {
        words.add(text.substring(start, i));
        start = i;
      }
    }
    return words;
  }

  private static ObjectNode envelope(String id, String object, String model) {
    return JSON.createObjectNode()
        .put("id", id)
        .put("object", object)
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", model);
  }

  private static ObjectNode chunk(String id, String model, boolean includeUsage) {
    ObjectNode chunk = envelope(id, "chat.completion.chunk", model);
    chunk.putArray("choices");
    if (includeUsage) {
      chunk.putNull("usage");
    }
    return chunk;
  }

  private static ObjectNode usage(long promptTokens, long completionTokens) {
    return JSON.createObjectNode()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
  }

  private static Buffer event(JsonNode chunk) {
    return Buffer.buffer("data: " + chunk + "\n\n");
  }
}
