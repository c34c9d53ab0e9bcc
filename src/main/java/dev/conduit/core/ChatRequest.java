package dev.conduit.core;

import java.util.List;

/**
 * A chat request in the gateway's own model, independent of any wire format. Inbound decoders
 * (OpenAI, Anthropic) build it; provider adapters turn it into their upstream request. Every
 * optional field is null when the caller did not set it, so adapters can tell "not set" from a
 * value and leave provider defaults alone.
 *
 * @param messages the conversation, system turns included, in order
 * @param tools functions the model may call (never null)
 * @param toolChoice whether and which tool must be called; null for the provider's default
 * @param parallelToolCalls whether several tool calls may be made at once; null when not set
 * @param maxTokens output token limit
 * @param temperature sampling temperature in OpenAI's range (0 to 2)
 * @param topP nucleus sampling
 * @param topK top-k sampling (not in OpenAI's API; from Anthropic callers)
 * @param stop stop sequences (never null)
 * @param seed sampling seed
 * @param presencePenalty OpenAI presence penalty
 * @param frequencyPenalty OpenAI frequency penalty
 * @param n how many choices the caller wants; null means one
 * @param logprobs whether token log probabilities are wanted
 * @param responseFormat the answer's shape; null for free text
 * @param reasoning reasoning effort or budget; null for the model's default
 * @param user an opaque end-user id
 * @param stream whether the answer is streamed
 */
public record ChatRequest(
    List<Message> messages,
    List<Tool> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    Integer maxTokens,
    Double temperature,
    Double topP,
    Integer topK,
    List<String> stop,
    Long seed,
    Double presencePenalty,
    Double frequencyPenalty,
    Integer n,
    Boolean logprobs,
    ResponseFormat responseFormat,
    ReasoningConfig reasoning,
    String user,
    boolean stream) {

  public ChatRequest {
    messages = messages == null ? List.of() : List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
            .messages(messages)
            .tools(tools)
            .toolChoice(toolChoice)
            .parallelToolCalls(parallelToolCalls)
            .maxTokens(maxTokens)
            .temperature(temperature)
            .topP(topP)
            .topK(topK)
            .stop(stop)
            .seed(seed)
            .presencePenalty(presencePenalty)
            .frequencyPenalty(frequencyPenalty)
            .n(n)
            .logprobs(logprobs)
            .responseFormat(responseFormat)
            .reasoning(reasoning)
            .user(user)
            .stream(stream);
  }

  /** Builds a {@link ChatRequest} field by field. */
  public static final class Builder {
    private List<Message> messages;
    private List<Tool> tools;
    private ToolChoice toolChoice;
    private Boolean parallelToolCalls;
    private Integer maxTokens;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private List<String> stop;
    private Long seed;
    private Double presencePenalty;
    private Double frequencyPenalty;
    private Integer n;
    private Boolean logprobs;
    private ResponseFormat responseFormat;
    private ReasoningConfig reasoning;
    private String user;
    private boolean stream;

    private Builder() {}

    public Builder messages(List<Message> value) {
      messages = value;
      return this;
    }

    public Builder tools(List<Tool> value) {
      tools = value;
      return this;
    }

    public Builder toolChoice(ToolChoice value) {
      toolChoice = value;
      return this;
    }

    public Builder parallelToolCalls(Boolean value) {
      parallelToolCalls = value;
      return this;
    }

    public Builder maxTokens(Integer value) {
      maxTokens = value;
      return this;
    }

    public Builder temperature(Double value) {
      temperature = value;
      return this;
    }

    public Builder topP(Double value) {
      topP = value;
      return this;
    }

    public Builder topK(Integer value) {
      topK = value;
      return this;
    }

    public Builder stop(List<String> value) {
      stop = value;
      return this;
    }

    public Builder seed(Long value) {
      seed = value;
      return this;
    }

    public Builder presencePenalty(Double value) {
      presencePenalty = value;
      return this;
    }

    public Builder frequencyPenalty(Double value) {
      frequencyPenalty = value;
      return this;
    }

    public Builder n(Integer value) {
      n = value;
      return this;
    }

    public Builder logprobs(Boolean value) {
      logprobs = value;
      return this;
    }

    public Builder responseFormat(ResponseFormat value) {
      responseFormat = value;
      return this;
    }

    public Builder reasoning(ReasoningConfig value) {
      reasoning = value;
      return this;
    }

    public Builder user(String value) {
      user = value;
      return this;
    }

    public Builder stream(boolean value) {
      stream = value;
      return this;
    }

    public ChatRequest build() {
      return new ChatRequest(
          messages,
          tools,
          toolChoice,
          parallelToolCalls,
          maxTokens,
          temperature,
          topP,
          topK,
          stop,
          seed,
          presencePenalty,
          frequencyPenalty,
          n,
          logprobs,
          responseFormat,
          reasoning,
          user,
          stream);
    }
  }
}
