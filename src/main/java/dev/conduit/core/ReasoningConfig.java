package dev.conduit.core;

/**
 * How much the model should think before answering, for models that reason. Either field may be
 * null; each adapter uses what its provider understands (OpenAI {@code reasoning_effort},
 * Anthropic {@code thinking.budget_tokens}).
 *
 * @param effort {@code minimal}, {@code low}, {@code medium} or {@code high}
 * @param budgetTokens a token budget for the reasoning
 */
public record ReasoningConfig(String effort, Integer budgetTokens) {}
