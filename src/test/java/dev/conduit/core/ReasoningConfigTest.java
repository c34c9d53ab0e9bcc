package dev.conduit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasoningConfigTest {
  @Test
  void theCallersBudgetWins() {
    assertThat(new ReasoningConfig("high", 2000).thinkingBudget()).isEqualTo(2000);
  }

  @Test
  void effortLevelsMapToBudgets() {
    assertThat(new ReasoningConfig("minimal", null).thinkingBudget()).isEqualTo(1024);
    assertThat(new ReasoningConfig("low", null).thinkingBudget()).isEqualTo(1024);
    assertThat(new ReasoningConfig("medium", null).thinkingBudget()).isEqualTo(4096);
    assertThat(new ReasoningConfig("HIGH", null).thinkingBudget()).isEqualTo(16384);
  }

  @Test
  void effortNoneAsksForNoReasoning() {
    ReasoningConfig none = new ReasoningConfig("none", null);
    assertThat(none.thinkingBudget()).isNull();
    assertThat(none.turnsThinkingOff()).isTrue();
    assertThat(new ReasoningConfig(null, null).thinkingBudget()).isNull();
    assertThat(new ReasoningConfig(null, null).turnsThinkingOff()).isFalse();
  }
}
