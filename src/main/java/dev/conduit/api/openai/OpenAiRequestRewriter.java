package dev.conduit.api.openai;

import dev.conduit.pipeline.InboundCall.StreamUsageOption;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rewrites an OpenAI-format body for a same-protocol upstream by splicing bytes at the positions
 * {@link OpenAiRequestScanner} found: the rest of the body is copied untouched, never re-encoded.
 */
public final class OpenAiRequestRewriter {
  private static final String INCLUDE_USAGE = "\"include_usage\":true";

  private OpenAiRequestRewriter() {}

  /**
   * @param body the caller's body
   * @param scan its scan
   * @param upstreamModel replaces the {@code model} value
   * @param streamUsage {@code FORCE}: for a streaming call, make the upstream report usage even
   *     when the caller did not ask (the gateway then strips the usage chunk from what the caller
   *     sees); {@code REMOVE}: drop {@code stream_options} for an upstream that refuses it
   */
  public static Buffer rewrite(
      byte[] body, OpenAiRequestScan scan, String upstreamModel, StreamUsageOption streamUsage) {
    List<Edit> edits = new ArrayList<>(2);
    edits.add(new Edit(scan.modelStart(), scan.modelEnd(), jsonString(upstreamModel)));
    if (streamUsage == StreamUsageOption.FORCE && scan.stream() && !scan.includeUsage()) {
      edits.add(includeUsageEdit(scan));
    } else if (streamUsage == StreamUsageOption.REMOVE && scan.streamOptionsKeyStart() >= 0) {
      edits.add(removeMember(body, scan.streamOptionsKeyStart(), scan.streamOptionsEnd()));
    }
    edits.sort(Comparator.comparingInt(Edit::start));
    int extra = 0;
    for (Edit edit : edits) {
      extra += edit.replacement.length - (edit.end - edit.start);
    }
    Buffer out = Buffer.buffer(body.length + Math.max(extra, 0));
    int position = 0;
    for (Edit edit : edits) {
      out.appendBytes(body, position, edit.start - position);
      out.appendBytes(edit.replacement);
      position = edit.end;
    }
    out.appendBytes(body, position, body.length - position);
    return out;
  }

  private static Edit includeUsageEdit(OpenAiRequestScan scan) {
    if (scan.includeUsageValueStart() >= 0) {
      return new Edit(scan.includeUsageValueStart(), scan.includeUsageValueEnd(), bytes("true"));
    }
    if (scan.streamOptionsIsObject()) {
      int insertAt = scan.streamOptionsStart() + 1; // just after '{'
      String text = scan.streamOptionsEmpty() ? INCLUDE_USAGE : INCLUDE_USAGE + ",";
      return new Edit(insertAt, insertAt, bytes(text));
    }
    if (scan.streamOptionsStart() >= 0) { // "stream_options": null
      return new Edit(
          scan.streamOptionsStart(), scan.streamOptionsEnd(), bytes("{" + INCLUDE_USAGE + "}"));
    }
    int insertAt = scan.objectStart() + 1;
    return new Edit(insertAt, insertAt, bytes("\"stream_options\":{" + INCLUDE_USAGE + "},"));
  }

  /** Removes a top-level member {@code "key": value} and the comma that separates it. */
  private static Edit removeMember(byte[] body, int keyStart, int valueEnd) {
    int after = valueEnd;
    while (after < body.length && isWhitespace(body[after])) {
      after++;
    }
    if (after < body.length && body[after] == ',') {
      return new Edit(keyStart, after + 1, new byte[0]);
    }
    int before = keyStart - 1;
    while (before >= 0 && isWhitespace(body[before])) {
      before--;
    }
    if (before >= 0 && body[before] == ',') {
      return new Edit(before, valueEnd, new byte[0]);
    }
    return new Edit(keyStart, valueEnd, new byte[0]); // the only member
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  static byte[] jsonString(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return bytes(out.append('"').toString());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private record Edit(int start, int end, byte[] replacement) {}
}
