package dev.conduit.cache;

import dev.conduit.core.ChatResponse;
import dev.conduit.core.FinishReason;
import dev.conduit.core.StreamChunk;
import dev.conduit.core.ToolCall;
import dev.conduit.core.Usage;
import dev.conduit.core.WireProtocol;
import dev.conduit.provider.StreamParser;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds up a streamed answer, from the events the caller received, into the one complete answer it
 * amounts to, so it can be stored once and replayed as JSON or as a stream. Anything that makes the
 * answer doubtful (an error event, an event it cannot read, no finish) spoils it: {@link #answer}
 * is then null. One per stream; used on the request's event loop.
 */
public final class StreamAssembler {
  private final StreamParser parser;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private final List<String[]> toolCalls = new ArrayList<>();
  private final List<StringBuilder> toolArguments = new ArrayList<>();
  private String id;
  private String model;
  private FinishReason finish;
  private String stopSequence;
  private Usage usage = Usage.NONE;
  private boolean spoiled;

  public StreamAssembler(WireProtocol protocol) {
    this.parser = Answers.parser(protocol);
  }

  /** Feeds bytes the caller received. */
  public void feed(Buffer bytes) {
    if (spoiled) {
      return;
    }
    try {
      parser.feed(bytes, this::take);
    } catch (RuntimeException e) {
      spoiled = true;
    }
  }

  /** The complete answer, or null when the stream was not a complete, clean answer. */
  public ChatResponse answer() {
    if (spoiled) {
      return null;
    }
    try {
      if (parser.end(this::take) != null) {
        return null;
      }
    } catch (RuntimeException e) {
      return null;
    }
    if (spoiled || finish == null) {
      return null;
    }
    List<ToolCall> calls = new ArrayList<>();
    for (int i = 0; i < toolCalls.size(); i++) {
      calls.add(
          new ToolCall(toolCalls.get(i)[0], toolCalls.get(i)[1], toolArguments.get(i).toString()));
    }
    return new ChatResponse(
        id,
        model,
        text.length() == 0 && !calls.isEmpty() ? null : text.toString(),
        reasoning.length() == 0 ? null : reasoning.toString(),
        calls,
        finish,
        stopSequence,
        usage);
  }

  private void take(StreamChunk chunk) {
    if (chunk instanceof StreamChunk.Start start) {
      id = start.id();
      model = start.model();
    } else if (chunk instanceof StreamChunk.TextDelta delta) {
      text.append(delta.text());
    } else if (chunk instanceof StreamChunk.ReasoningDelta delta) {
      if (delta.signature() != null) {
        spoiled = true; // a signed reasoning block has no canonical replay that keeps it valid
      }
      reasoning.append(delta.text());
    } else if (chunk instanceof StreamChunk.ToolCallDelta delta) {
      while (toolCalls.size() <= delta.index()) {
        toolCalls.add(new String[2]);
        toolArguments.add(new StringBuilder());
      }
      String[] call = toolCalls.get(delta.index());
      if (delta.id() != null) {
        call[0] = delta.id();
      }
      if (delta.name() != null) {
        call[1] = delta.name();
      }
      toolArguments.get(delta.index()).append(delta.arguments());
    } else if (chunk instanceof StreamChunk.UsageUpdate update) {
      usage = update.usage();
    } else if (chunk instanceof StreamChunk.Finish done) {
      finish = done.reason();
      stopSequence = done.stopSequence();
    } else if (chunk instanceof StreamChunk.Failure) {
      spoiled = true;
    }
  }
}
