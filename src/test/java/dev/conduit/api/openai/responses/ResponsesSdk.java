package dev.conduit.api.openai.responses;

import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Requests and readings with the official OpenAI SDK's Responses API, shared by the tests. */
final class ResponsesSdk {
  private ResponsesSdk() {}

  static ResponseCreateParams.Builder ask(String model, String input) {
    return ResponseCreateParams.builder().model(model).input(input);
  }

  static FunctionTool weatherTool() {
    return FunctionTool.builder()
        .name("get_weather")
        .description("The weather in a city")
        .parameters(
            FunctionTool.Parameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty(
                    "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                .build())
        .strict(false)
        .build();
  }

  static ResponseTextConfig cityFormat() {
    return ResponseTextConfig.builder()
        .format(
            ResponseFormatTextJsonSchemaConfig.builder()
                .name("city")
                .schema(
                    ResponseFormatTextJsonSchemaConfig.Schema.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty(
                            "properties", JsonValue.from(Map.of("name", Map.of("type", "string"))))
                        .build())
                .strict(true)
                .build())
        .build();
  }

  /** The second turn of a function call round trip: the call, then its output. */
  static ResponseCreateParams toolResult(
      String model, ResponseFunctionToolCall call, String output) {
    return ResponseCreateParams.builder()
        .model(model)
        .addTool(weatherTool())
        .inputOfResponse(
            List.of(
                ResponseInputItem.ofEasyInputMessage(
                    com.openai.models.responses.EasyInputMessage.builder()
                        .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                        .content("Weather in Paris?")
                        .build()),
                ResponseInputItem.ofFunctionCall(call),
                ResponseInputItem.ofFunctionCallOutput(
                    ResponseInputItem.FunctionCallOutput.builder()
                        .callId(call.callId())
                        .output(output)
                        .build())))
        .build();
  }

  /** The text of the response's message items. */
  static String text(Response response) {
    StringBuilder text = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message().map(ResponseOutputMessage::content).orElse(List.of()).stream()
          .flatMap(content -> content.outputText().stream())
          .forEach(part -> text.append(part.text()));
    }
    return text.toString();
  }

  static List<ResponseFunctionToolCall> calls(Response response) {
    List<ResponseFunctionToolCall> calls = new ArrayList<>();
    response.output().forEach(item -> item.functionCall().ifPresent(calls::add));
    return calls;
  }

  /** A whole stream: its events, read to the end. */
  static List<ResponseStreamEvent> events(StreamResponse<ResponseStreamEvent> stream) {
    try (stream) {
      return stream.stream().toList();
    }
  }

  static String streamedText(List<ResponseStreamEvent> events) {
    StringBuilder text = new StringBuilder();
    events.forEach(event -> event.outputTextDelta().ifPresent(d -> text.append(d.delta())));
    return text.toString();
  }

  static String streamedArguments(List<ResponseStreamEvent> events) {
    StringBuilder text = new StringBuilder();
    events.forEach(
        event -> event.functionCallArgumentsDelta().ifPresent(d -> text.append(d.delta())));
    return text.toString();
  }

  /** The response of the stream's {@code response.completed} event. */
  static Response completed(List<ResponseStreamEvent> events) {
    return events.stream()
        .flatMap(event -> event.completed().stream())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no response.completed in " + events))
        .response();
  }

  /** The events' types in order (those a translated stream sends; others as "other"). */
  static List<String> types(List<ResponseStreamEvent> events) {
    return events.stream().map(ResponsesSdk::type).toList();
  }

  private static String type(ResponseStreamEvent event) {
    if (event.isCreated()) {
      return "response.created";
    } else if (event.isInProgress()) {
      return "response.in_progress";
    } else if (event.isOutputItemAdded()) {
      return "response.output_item.added";
    } else if (event.isContentPartAdded()) {
      return "response.content_part.added";
    } else if (event.isOutputTextDelta()) {
      return "response.output_text.delta";
    } else if (event.isOutputTextDone()) {
      return "response.output_text.done";
    } else if (event.isContentPartDone()) {
      return "response.content_part.done";
    } else if (event.isOutputItemDone()) {
      return "response.output_item.done";
    } else if (event.isFunctionCallArgumentsDelta()) {
      return "response.function_call_arguments.delta";
    } else if (event.isFunctionCallArgumentsDone()) {
      return "response.function_call_arguments.done";
    } else if (event.isReasoningTextDelta()) {
      return "response.reasoning_text.delta";
    } else if (event.isReasoningTextDone()) {
      return "response.reasoning_text.done";
    } else if (event.isCompleted()) {
      return "response.completed";
    } else if (event.isIncomplete()) {
      return "response.incomplete";
    } else if (event.isError()) {
      return "error";
    }
    return "other";
  }
}
