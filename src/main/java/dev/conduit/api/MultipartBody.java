package dev.conduit.api;

import dev.conduit.core.GatewayError;
import dev.conduit.core.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code multipart/form-data} body (RFC 7578) read where it lies: the parts are found by their
 * byte offsets, never copied or decoded, and {@link #replace} re-targets one text field (the {@code
 * model}) by splicing bytes, so files go to the upstream exactly as the caller sent them. The body
 * is already in memory (read within the gateway's body limit, and kept for retries), so nothing is
 * gained by Vert.x's streaming form decoder, which would write uploads to disk and need the form
 * encoded again for the upstream.
 */
public final class MultipartBody {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

  /**
   * One part.
   *
   * @param name the form field's name
   * @param filename the file name for a file part; null for a text field
   * @param contentType the part's {@code Content-Type}; null when it has none
   * @param contentStart offset of the first content byte
   * @param contentEnd offset just after the last content byte
   */
  public record Part(
      String name, String filename, String contentType, int contentStart, int contentEnd) {
    public int size() {
      return contentEnd - contentStart;
    }

    public boolean isFile() {
      return filename != null;
    }
  }

  private final byte[] body;
  private final String boundary;
  private final int start;
  private final List<Part> parts;

  private MultipartBody(byte[] body, String boundary, int start, List<Part> parts) {
    this.body = body;
    this.boundary = boundary;
    this.start = start;
    this.parts = List.copyOf(parts);
  }

  /**
   * The boundary of a {@code multipart/form-data} content type; null when {@code contentType} is
   * not one or names no boundary.
   */
  public static String boundary(String contentType) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return null;
    }
    for (String parameter : contentType.split(";")) {
      String trimmed = parameter.trim();
      if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String value = trimmed.substring("boundary=".length()).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value.isEmpty() || value.length() > 200 ? null : value;
      }
    }
    return null;
  }

  /**
   * Finds the parts of {@code body}.
   *
   * @throws GatewayException (400) when the body is not a complete multipart body with this
   *     boundary
   */
  public static MultipartBody parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int first = indexOf(body, delimiter, 0);
    if (first < 0
        || first > 0 && (first < 2 || body[first - 2] != '\r' || body[first - 1] != '\n')) {
      throw invalid("it has no opening boundary");
    }
    byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int position = first + delimiter.length;
    while (true) {
      if (startsWith(body, position, new byte[] {'-', '-'})) {
        return new MultipartBody(body, boundary, first, parts);
      }
      position = skipLinearWhitespace(body, position);
      if (!startsWith(body, position, CRLF)) {
        throw invalid("a boundary line is malformed");
      }
      int headersStart = position + 2;
      int headersEnd = indexOf(body, HEADERS_END, headersStart);
      if (headersStart < body.length
          && startsWith(body, headersStart, CRLF)) { // a part without headers
        headersEnd = headersStart - 2;
      }
      if (headersEnd < 0) {
        throw invalid("a part's headers do not end");
      }
      int contentStart = headersEnd + 4;
      int contentEnd = delimiter(body, next, contentStart);
      if (contentEnd < 0) {
        throw invalid("it does not end with its closing boundary");
      }
      parts.add(
          part(
              new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8),
              contentStart,
              contentEnd));
      position = contentEnd + next.length;
    }
  }

  /** The boundary of a body this class wrote or checked: its first line, after {@code --}. */
  public static String boundaryOf(byte[] body) {
    int end = indexOf(body, CRLF, 0);
    if (end < 3 || body[0] != '-' || body[1] != '-') {
      return null;
    }
    return new String(body, 2, end - 2, StandardCharsets.ISO_8859_1).trim();
  }

  public List<Part> parts() {
    return parts;
  }

  /** The first part named {@code name}, or null. */
  public Part first(String name) {
    for (Part part : parts) {
      if (part.name().equals(name)) {
        return part;
      }
    }
    return null;
  }

  /** The parts named {@code name} (or {@code name[]}, as arrays are sent), in order. */
  public List<Part> all(String name) {
    String array = name + "[]";
    return parts.stream().filter(p -> p.name().equals(name) || p.name().equals(array)).toList();
  }

  /** A part's content as UTF-8 text. */
  public String text(Part part) {
    return new String(body, part.contentStart(), part.size(), StandardCharsets.UTF_8);
  }

  /** The text of the first part named {@code name}, trimmed; null when there is none. */
  public String text(String name) {
    Part part = first(name);
    return part == null ? null : text(part).trim();
  }

  public String boundary() {
    return boundary;
  }

  /**
   * The body with {@code part}'s content replaced by {@code value}: every other byte as it was
   * (anything before the first boundary, which multipart readers ignore, is left out).
   */
  public Buffer replace(Part part, String value) {
    byte[] replacement = value.getBytes(StandardCharsets.UTF_8);
    Buffer out = Buffer.buffer(body.length - start - part.size() + replacement.length);
    out.appendBytes(body, start, part.contentStart() - start);
    out.appendBytes(replacement);
    out.appendBytes(body, part.contentEnd(), body.length - part.contentEnd());
    return out;
  }

  /** The body from its first boundary on, unchanged. */
  public Buffer whole() {
    return Buffer.buffer(body.length - start).appendBytes(body, start, body.length - start);
  }

  private static Part part(String headers, int contentStart, int contentEnd) {
    String name = null;
    String filename = null;
    String contentType = null;
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (header.equals("content-disposition")) {
        name = parameter(value, "name");
        filename = parameter(value, "filename");
      } else if (header.equals("content-type")) {
        contentType = value;
      }
    }
    if (name == null) {
      throw invalid("a part has no Content-Disposition name");
    }
    return new Part(name, filename, contentType, contentStart, contentEnd);
  }

  /** A parameter of a {@code Content-Disposition} value ({@code name="model"}); null if absent. */
  static String parameter(String disposition, String name) {
    int index = 0;
    String lower = disposition.toLowerCase(Locale.ROOT);
    while ((index = lower.indexOf(name + "=", index)) >= 0) {
      boolean atStart =
          index > 0 && (lower.charAt(index - 1) == ';' || lower.charAt(index - 1) == ' ');
      int valueStart = index + name.length() + 1;
      if (!atStart) {
        index = valueStart;
        continue;
      }
      if (valueStart < disposition.length() && disposition.charAt(valueStart) == '"') {
        StringBuilder value = new StringBuilder();
        for (int i = valueStart + 1; i < disposition.length(); i++) {
          char c = disposition.charAt(i);
          if (c == '\\' && i + 1 < disposition.length()) {
            value.append(disposition.charAt(++i));
          } else if (c == '"') {
            return value.toString();
          } else {
            value.append(c);
          }
        }
        return value.toString();
      }
      int end = disposition.indexOf(';', valueStart);
      return disposition.substring(valueStart, end < 0 ? disposition.length() : end).trim();
    }
    return null;
  }

  /**
   * The next delimiter line: {@code CRLF--boundary} followed by {@code --} or by optional white
   * space and CRLF. A match followed by anything else is content.
   */
  private static int delimiter(byte[] body, byte[] next, int from) {
    int at = indexOf(body, next, from);
    while (at >= 0) {
      int after = at + next.length;
      if (startsWith(body, after, new byte[] {'-', '-'})
          || startsWith(body, skipLinearWhitespace(body, after), CRLF)) {
        return at;
      }
      at = indexOf(body, next, at + 1);
    }
    return -1;
  }

  private static int skipLinearWhitespace(byte[] body, int position) {
    while (position < body.length && (body[position] == ' ' || body[position] == '\t')) {
      position++;
    }
    return position;
  }

  private static boolean startsWith(byte[] body, int at, byte[] prefix) {
    if (at < 0 || at + prefix.length > body.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (body[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** The first index of {@code target} in {@code body} at or after {@code from}; -1 if none. */
  static int indexOf(byte[] body, byte[] target, int from) {
    byte head = target[0];
    int last = body.length - target.length;
    for (int i = Math.max(from, 0); i <= last; i++) {
      if (body[i] == head && startsWith(body, i, target)) {
        return i;
      }
    }
    return -1;
  }

  private static GatewayException invalid(String why) {
    return new GatewayException(
        GatewayError.badRequest(
            "invalid_multipart", "The multipart/form-data body is invalid: " + why + ".", null));
  }
}
