package dev.conduit.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import dev.conduit.testing.AnthropicMockUpstream;
import dev.conduit.testing.MockUpstream;
import dev.conduit.testing.TestDatabases;
import dev.conduit.testing.TestGateway;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Answers replayed in the other form, read by the official SDKs: tool calls, the Anthropic
 * pass-through (Anthropic in, Anthropic out) and Anthropic callers served by an OpenAI upstream,
 * each stored from a stream and replayed as JSON, and stored as JSON and replayed as a stream. The
 * replay must say what the original said: same text, same tool calls, same finish, same usage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheReplayTest {
  private AnthropicMockUpstream anthropicUpstream;
  private MockUpstream openAiUpstream;
  private TestDatabases.TestDatabase db;
  private TestGateway gateway;
  private OpenAIClient openAi;
  private AnthropicClient anthropic;

  @BeforeAll
  void start() throws Exception {
    anthropicUpstream = new AnthropicMockUpstream();
    openAiUpstream = new MockUpstream();
    db = TestDatabases.sqlite();
    gateway =
        TestGateway.start(
            """
            server:
              eventLoops: 2
            database:
              url: "%s"
            routing:
              healthCheckIntervalMs: 0
            providers:
              - name: claude
                type: anthropic
                baseUrl: %s
                apiKey: sk-ant-test-upstream-secret-0123
              - name: gpt
                type: openai
                baseUrl: %s
                apiKey: sk-test-upstream-secret-0123456789
            models:
              - alias: tools-stream-first
                deployments: [{ provider: gpt, model: tool-call }]
              - alias: tools-json-first
                deployments: [{ provider: gpt, model: tool-call }]
              - alias: claude-stream-first
                deployments: [{ provider: claude, model: claude-sonnet-4 }]
              - alias: claude-json-first
                deployments: [{ provider: claude, model: claude-sonnet-4 }]
              - alias: claude-tools
                deployments: [{ provider: claude, model: tool-call }]
              - alias: gpt-for-anthropic
                deployments: [{ provider: gpt, model: gpt-4o }]
            cache:
              enabled: true
            """
                .formatted(db.url(), anthropicUpstream.baseUrl(), openAiUpstream.baseUrl()));
    String key = gateway.newKey();
    openAi = gateway.openAi(key);
    anthropic = gateway.anthropic(key);
  }

  @AfterAll
  void stop() throws Exception {
    gateway.close();
    anthropicUpstream.close();
    openAiUpstream.close();
    db.close();
  }

  private static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addUserMessage("Weather and time in Paris?")
        .build();
  }

  private ChatCompletion openAiStreamed(ChatCompletionCreateParams params) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (com.openai.core.http.StreamResponse<com.openai.models.chat.completions.ChatCompletionChunk>
        stream = openAi.chat().completions().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    return accumulator.chatCompletion();
  }

  private static List<String> toolCalls(ChatCompletion completion) {
    return completion.choices().get(0).message().toolCalls().orElseThrow().stream()
        .map(ChatCompletionMessageToolCall::asFunction)
        .map(call -> call.id() + " " + call.function().name() + " " + call.function().arguments())
        .toList();
  }

  private long anthropicCalls(String model) {
    return anthropicUpstream.received().stream()
        .filter(r -> r.body().path("model").asText().equals(model))
        .count();
  }

  @Test
  void toolCallsStoredFromAStreamAreReplayedAsJson() {
    long before = openAiUpstream.calls("tool-call");
    ChatCompletion streamed = openAiStreamed(chat("tools-stream-first"));
    ChatCompletion replayed = openAi.chat().completions().create(chat("tools-stream-first"));

    assertThat(toolCalls(replayed)).isEqualTo(toolCalls(streamed)).hasSize(2);
    assertThat(toolCalls(replayed).get(0))
        .isEqualTo("call_mock1 get_weather {\"city\": \"Paris\"}");
    assertThat(replayed.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(openAiUpstream.calls("tool-call") - before).isEqualTo(1);
  }

  @Test
  void toolCallsStoredAsJsonAreReplayedAsAStream() {
    ChatCompletion original = openAi.chat().completions().create(chat("tools-json-first"));
    long before = openAiUpstream.calls("tool-call");
    ChatCompletion replayed = openAiStreamed(chat("tools-json-first"));

    assertThat(toolCalls(replayed)).isEqualTo(toolCalls(original)).hasSize(2);
    assertThat(replayed.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(openAiUpstream.calls("tool-call")).isEqualTo(before);
  }

  private static MessageCreateParams message(String model) {
    return MessageCreateParams.builder().model(model).maxTokens(100).addUserMessage("Hi").build();
  }

  private Message anthropicStreamed(MessageCreateParams params) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream =
        anthropic.messages().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }
    return accumulator.message();
  }

  private static String text(Message message) {
    return message.content().stream()
        .filter(ContentBlock::isText)
        .map(block -> block.asText().text())
        .collect(Collectors.joining());
  }

  private static List<String> toolUses(Message message) {
    return message.content().stream()
        .filter(ContentBlock::isToolUse)
        .map(ContentBlock::asToolUse)
        .map(ToolUseBlock::toString)
        .toList();
  }

  @Test
  void theAnthropicPassThroughIsReplayedInBothForms() {
    long before = anthropicCalls("claude-sonnet-4");
    Message streamed = anthropicStreamed(message("claude-stream-first"));
    Message fromStream = anthropic.messages().create(message("claude-stream-first"));
    Message json = anthropic.messages().create(message("claude-json-first"));
    Message fromJson = anthropicStreamed(message("claude-json-first"));

    assertThat(text(streamed)).isEqualTo(AnthropicMockUpstream.TEXT);
    assertThat(text(fromStream)).isEqualTo(AnthropicMockUpstream.TEXT);
    assertThat(fromStream.stopReason()).isEqualTo(streamed.stopReason());
    assertThat(fromStream.usage().outputTokens()).isEqualTo(streamed.usage().outputTokens());
    assertThat(text(fromJson)).isEqualTo(text(json));
    assertThat(fromJson.stopReason()).isEqualTo(json.stopReason());
    assertThat(fromJson.usage().outputTokens()).isEqualTo(json.usage().outputTokens());
    assertThat(anthropicCalls("claude-sonnet-4") - before).isEqualTo(2);
  }

  @Test
  void anthropicToolUseIsReplayedAsAStream() {
    Message json = anthropic.messages().create(message("claude-tools"));
    Message replayed = anthropicStreamed(message("claude-tools"));

    assertThat(toolUses(json)).hasSize(2);
    assertThat(replayed.content().stream().filter(ContentBlock::isToolUse).count()).isEqualTo(2);
    assertThat(
            replayed.content().stream()
                .filter(ContentBlock::isToolUse)
                .map(block -> block.asToolUse().name() + block.asToolUse()._input().toString())
                .toList())
        .isEqualTo(
            json.content().stream()
                .filter(ContentBlock::isToolUse)
                .map(block -> block.asToolUse().name() + block.asToolUse()._input().toString())
                .toList());
    assertThat(text(replayed)).isEqualTo(text(json));
    assertThat(anthropicCalls("tool-call")).isEqualTo(1);
  }

  @Test
  void anAnthropicCallerOfAnOpenAiUpstreamGetsAStreamedAnswerAsJson() {
    Message streamed = anthropicStreamed(message("gpt-for-anthropic"));
    Message replayed = anthropic.messages().create(message("gpt-for-anthropic"));

    assertThat(text(streamed)).isEqualTo(MockUpstream.TEXT);
    assertThat(text(replayed)).isEqualTo(MockUpstream.TEXT);
    assertThat(replayed.stopReason()).isEqualTo(streamed.stopReason());
    assertThat(openAiUpstream.calls("gpt-4o")).isEqualTo(1);
  }
}
