package dev.conduit.core;

/**
 * A function call the model made.
 *
 * @param id the call's id, echoed by the tool result that answers it
 * @param name the function's name
 * @param arguments the arguments as JSON text (an object; "{}" when there are none)
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
  }
}
