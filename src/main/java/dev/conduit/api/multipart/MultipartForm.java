package dev.conduit.api.multipart;

import dev.conduit.core.GatewayException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the parts of a {@code multipart/form-data} body are (RFC 7578), found in one pass over the
 * bytes the gateway already holds: each part's name, file name, content type and the byte range of
 * its value. Nothing is copied: a file part stays where it is in the body, and {@link #replace}
 * splices one part's value (the {@code model}) into a new body, every other byte unchanged, so
 * fields the gateway does not know ({@code include[]}, {@code chunking_strategy}, ...) reach the
 * provider exactly as the caller sent them.
 */
public final class MultipartForm {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

  /**
   * One part.
   *
   * @param name the {@code name} of its {@code Content-Disposition}
   * @param filename its {@code filename}, or null for a plain field
   * @param contentType its {@code Content-Type}, or null
   * @param valueStart offset of its first value byte in the body
   * @param valueEnd offset just past its last value byte
   */
  public record Part(
      String name, String filename, String contentType, int valueStart, int valueEnd) {
    public int length() {
      return valueEnd - valueStart;
    }
  }

  private final byte[] body;
  private final String contentType;
  private final List<Part> parts;

  private MultipartForm(byte[] body, String contentType, List<Part> parts) {
    this.body = body;
    this.contentType = contentType;
    this.parts = List.copyOf(parts);
  }

  /**
   * Reads the layout of {@code body}.
   *
   * @param contentType the request's {@code Content-Type} header
   * @throws GatewayException (400) when the body is not {@code multipart/form-data} or is malformed
   */
  public static MultipartForm parse(byte[] body, String contentType) {
    String boundary = boundary(contentType);
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    if (at < 0 || (at > 0 && !endsWithCrlf(body, at))) {
      throw malformed("it has no opening boundary");
    }
    List<Part> parts = new ArrayList<>();
    int position = at + delimiter.length;
    while (true) {
      if (startsWith(body, position, new byte[] {'-', '-'})) {
        return new MultipartForm(body, contentType, parts); // the closing delimiter
      }
      int lineEnd = indexOf(body, CRLF, position);
      if (lineEnd < 0) {
        throw malformed("it ends inside a boundary line");
      }
      int headersStart = lineEnd + 2; // any transport padding before the CRLF is ignored
      int headersEnd = indexOf(body, HEADERS_END, headersStart);
      if (headersStart + 2 <= body.length && startsWith(body, headersStart, CRLF)) {
        headersEnd = headersStart - 2; // a part without headers
      }
      if (headersEnd < 0) {
        throw malformed("a part's headers do not end");
      }
      int valueStart = headersEnd + 4;
      int next = indexOf(body, concat(CRLF, delimiter), valueStart);
      if (next < 0) {
        throw malformed("a part is not closed by a boundary");
      }
      parts.add(
          part(
              new String(
                  body,
                  headersStart,
                  Math.max(0, headersEnd - headersStart),
                  StandardCharsets.UTF_8),
              valueStart,
              next));
      position = next + 2 + delimiter.length;
    }
  }

  public List<Part> parts() {
    return parts;
  }

  /** The request's {@code Content-Type}, boundary included, which a rewritten body keeps. */
  public String contentType() {
    return contentType;
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

  /** The value of the first part named {@code name} as UTF-8 text, or null when there is none. */
  public String text(String name) {
    Part part = first(name);
    return part == null
        ? null
        : new String(body, part.valueStart(), part.length(), StandardCharsets.UTF_8);
  }

  /** The body with {@code part}'s value replaced by {@code value}; one copy of the other bytes. */
  public Buffer replace(Part part, String value) {
    byte[] replacement = value.getBytes(StandardCharsets.UTF_8);
    Buffer out = Buffer.buffer(body.length - part.length() + replacement.length);
    out.appendBytes(body, 0, part.valueStart());
    out.appendBytes(replacement);
    out.appendBytes(body, part.valueEnd(), body.length - part.valueEnd());
    return out;
  }

  private static Part part(String headers, int valueStart, int valueEnd) {
    String name = null;
    String filename = null;
    String type = null;
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (header.equals("content-disposition")) {
        name = parameter(value, "name");
        filename = parameter(value, "filename");
      } else if (header.equals("content-type")) {
        type = value;
      }
    }
    if (name == null) {
      throw malformed("a part has no Content-Disposition name");
    }
    return new Part(name, filename, type, valueStart, valueEnd);
  }

  private static String boundary(String contentType) {
    if (contentType == null
        || !contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw GatewayException.badRequest(
          "This endpoint takes multipart/form-data (Content-Type: multipart/form-data;"
              + " boundary=...).",
          null);
    }
    String boundary = parameter(contentType, "boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
      throw malformed("its Content-Type has no valid boundary");
    }
    return boundary;
  }

  /** A {@code ;}-separated header parameter, unquoted; null when absent. */
  static String parameter(String header, String name) {
    int i = header.indexOf(';');
    while (i >= 0 && i < header.length()) {
      int start = i + 1;
      while (start < header.length() && header.charAt(start) == ' ') {
        start++;
      }
      int equals = header.indexOf('=', start);
      if (equals < 0) {
        return null;
      }
      String key = header.substring(start, equals).trim();
      int valueStart = equals + 1;
      String value;
      int end;
      if (valueStart < header.length() && header.charAt(valueStart) == '"') {
        StringBuilder quoted = new StringBuilder();
        end = valueStart + 1;
        while (end < header.length() && header.charAt(end) != '"') {
          char c = header.charAt(end);
          if (c == '\\' && end + 1 < header.length()) {
            c = header.charAt(++end);
          }
          quoted.append(c);
          end++;
        }
        value = quoted.toString();
        end = header.indexOf(';', end);
      } else {
        end = header.indexOf(';', valueStart);
        value = header.substring(valueStart, end < 0 ? header.length() : end).trim();
      }
      if (key.equalsIgnoreCase(name)) {
        return value;
      }
      i = end;
    }
    return null;
  }

  private static GatewayException malformed(String why) {
    return GatewayException.badRequest(
        "The multipart/form-data body is malformed: " + why + ".", null);
  }

  private static boolean endsWithCrlf(byte[] body, int at) {
    return at >= 2 && body[at - 2] == '\r' && body[at - 1] == '\n';
  }

  private static boolean startsWith(byte[] body, int at, byte[] prefix) {
    if (at + prefix.length > body.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (body[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] body, byte[] target, int from) {
    byte first = target[0];
    int last = body.length - target.length;
    for (int i = from; i <= last; i++) {
      if (body[i] == first && startsWith(body, i, target)) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
