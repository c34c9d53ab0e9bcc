package dev.conduit.core;

/** Whether and which tool the model must call. Absent (null) means the provider's default. */
public sealed interface ToolChoice
    permits ToolChoice.Auto, ToolChoice.None, ToolChoice.Required, ToolChoice.Named {

  ToolChoice AUTO = new Auto();
  ToolChoice NONE = new None();
  ToolChoice REQUIRED = new Required();

  /** The model decides. */
  record Auto() implements ToolChoice {}

  /** The model must not call tools. */
  record None() implements ToolChoice {}

  /** The model must call some tool (OpenAI {@code required}, Anthropic {@code any}). */
  record Required() implements ToolChoice {}

  /** The model must call this tool. */
  record Named(String name) implements ToolChoice {}
}
