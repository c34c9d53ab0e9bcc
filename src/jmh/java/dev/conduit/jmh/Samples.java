package dev.conduit.jmh;

import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigLoader;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.route.Deployment;
import dev.conduit.route.ModelCatalog;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Inputs shared by the benchmarks: request bodies, responses and streams as providers send them.
 */
final class Samples {
  private Samples() {}

  /** A one-line chat request, the common case. */
  static final String SMALL_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
          + "\"content\":\"Say hello.\"}],\"max_tokens\":64}";

  /** A multi-turn request with a system prompt, tools and stream options (about 4 KB). */
  static final String AGENT_CHAT = agentChat();

  /** Request bodies by name, for {@code @Param}. */
  static byte[] body(String name) {
    String text =
        switch (name) {
          case "small" -> SMALL_CHAT;
          case "agent" -> AGENT_CHAT;
          // About 100,000 tokens of prompt: ~600 KB of JSON, most of it one string.
          case "100k-tokens" ->
              "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                  + "\"content\":\""
                  + " hello".repeat(100_000)
                  + "\"}]}";
          default -> throw new IllegalArgumentException(name);
        };
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String agentChat() {
    StringBuilder messages =
        new StringBuilder(
            "{\"role\":\"system\",\"content\":\"You are a careful "
                + "assistant. Answer briefly; use the tools when the question needs live data.\"}");
    for (int i = 0; i < 8; i++) {
      messages
          .append(",{\"role\":\"user\",\"content\":\"Question ")
          .append(i)
          .append(": what is the weather in city number ")
          .append(i)
          .append(" today, and why?\"}")
          .append(",{\"role\":\"assistant\",\"content\":\"It is sunny in city ")
          .append(i)
          .append(", with a light breeze from the west and no rain expected.\"}");
    }
    String tool =
        "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
            + "\"Current weather for a city\",\"parameters\":{\"type\":\"object\",\"properties\":{"
            + "\"city\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\",\"enum\":[\"c\",\"f\"]}},"
            + "\"required\":[\"city\"]}}}";
    return "{\"model\":\"gpt-4o\",\"messages\":["
        + messages
        + "],\"tools\":["
        + tool
        + ","
        + tool
        + "],\"tool_choice\":\"auto\",\"temperature\":0.2,\"stream\":true,\"stream_options\":"
        + "{\"include_usage\":false},\"max_completion_tokens\":512,\"user\":\"bench\"}";
  }

  /** OpenAI's non-streamed chat completion. */
  static final byte[] OPENAI_COMPLETION =
      ("{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion\","
              + "\"created\":1700000000,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,"
              + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can I help you today? "
              + "Ask me anything about the weather.\",\"refusal\":null},\"logprobs\":null,"
              + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,"
              + "\"total_tokens\":29,\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
              + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}},"
              + "\"system_fingerprint\":\"fp_abc123\"}")
          .getBytes(StandardCharsets.UTF_8);

  /** An OpenAI chat completion stream: {@code chunks} content chunks, usage, [DONE]. */
  static byte[] openAiStream(int chunks) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < chunks; i++) {
      out.append("data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":")
          .append("1700000000,\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_abc\",")
          .append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word")
          .append(i)
          .append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    }
    out.append("data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":")
        .append("1700000000,\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],\"usage\":{")
        .append("\"prompt_tokens\":19,\"completion_tokens\":")
        .append(chunks)
        .append(",\"total_tokens\":")
        .append(19 + chunks)
        .append("}}\n\n");
    out.append("data: [DONE]\n\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Cuts a stream the way the network might deliver it: {@code "event"} one event per read, or
   * pieces of a fixed number of bytes.
   */
  static List<Buffer> pieces(byte[] stream, String split) {
    List<Buffer> pieces = new ArrayList<>();
    if (split.equals("event")) {
      int start = 0;
      for (int i = 1; i < stream.length; i++) {
        if (stream[i] == '\n' && stream[i - 1] == '\n') {
          pieces.add(Buffer.buffer(java.util.Arrays.copyOfRange(stream, start, i + 1)));
          start = i + 1;
        }
      }
      return pieces;
    }
    int size = Integer.parseInt(split);
    for (int start = 0; start < stream.length; start += size) {
      pieces.add(
          Buffer.buffer(
              java.util.Arrays.copyOfRange(stream, start, Math.min(stream.length, start + size))));
    }
    return pieces;
  }

  /**
   * A deployment of a provider of {@code type}, built through the real configuration loader so the
   * benchmarks follow the production wiring.
   */
  static Deployment deployment(String type) {
    String yaml =
        "providers:\n"
            + "  - { name: bench, type: "
            + type
            + ", baseUrl: \"http://127.0.0.1:1/v1\", apiKey: sk-bench }\n"
            + "models:\n"
            + "  - alias: bench\n"
            + "    deployments: [{ provider: bench, model: bench-model }]\n";
    ConduitConfig config =
        new ConfigLoader(Map.of(), ProviderRegistry.configTypes()).parse(yaml, "jmh.yaml");
    ModelCatalog catalog =
        ModelCatalog.build(config.models(), ProviderRegistry.build(config.providers()));
    return catalog.find("bench").orElseThrow().deployments().get(0);
  }
}
