package dev.conduit.core;

import java.util.Locale;

/**
 * How much the model should think before answering, for models that reason. Either field may be
 * null; each adapter uses what its provider understands (OpenAI {@code reasoning_effort}, Anthropic
 * {@code thinking.budget_tokens}, Gemini {@code thinkingBudget}).
 *
 * @param effort {@code none}, {@code minimal}, {@code low}, {@code medium} or {@code high}
 * @param budgetTokens a token budget for the reasoning
 */
public record ReasoningConfig(String effort, Integer budgetTokens) {

  /**
   * The budget for providers that take a number of tokens: the caller's own, else one derived from
   * the effort (minimal and low 1024, the smallest Anthropic accepts; medium 4096; high 16384).
   * Null when no reasoning is asked for, including effort {@code none}.
   */
  public Integer thinkingBudget() {
    if (budgetTokens != null) {
      return budgetTokens;
    }
    if (effort == null || turnsThinkingOff()) {
      return null;
    }
    return switch (effort.toLowerCase(Locale.ROOT)) {
      case "medium" -> 4096;
      case "high" -> 16384;
      default -> 1024;
    };
  }

  /** Whether the caller asked for no reasoning at all (effort {@code none}). */
  public boolean turnsThinkingOff() {
    return budgetTokens == null && effort != null && effort.equalsIgnoreCase("none");
  }
}
