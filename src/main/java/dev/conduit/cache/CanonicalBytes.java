package dev.conduit.cache;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The UTF-8 bytes of a canonical JSON text as {@link CacheKey} writes it while reading a body: the
 * same bytes as the text's {@code getBytes(UTF_8)}, without building the text. An object's members
 * are written as they come and put in key order when the object ends (most bodies already have them
 * in order, so nothing moves). One per key; not thread-safe.
 */
final class CanonicalBytes {
  private byte[] bytes;
  private int length;

  CanonicalBytes(int capacity) {
    this.bytes = new byte[Math.max(capacity, 64)];
  }

  /** Appends text known to be ASCII. */
  void ascii(String text) {
    ensure(text.length());
    for (int i = 0; i < text.length(); i++) {
      bytes[length++] = (byte) text.charAt(i);
    }
  }

  /** Appends any text, in UTF-8. */
  void text(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, bytes, length, utf8.length);
    length += utf8.length;
  }

  /** Appends {@code text} as a JSON string, escaped as Jackson escapes it. */
  void quote(String text) {
    if (printable(text)) {
      ensure(text.length() + 2);
      bytes[length++] = '"';
      for (int i = 0; i < text.length(); i++) {
        bytes[length++] = (byte) text.charAt(i);
      }
      bytes[length++] = '"';
    } else {
      escaped(text);
    }
  }

  /** {@link #quote(String)} of the characters a parser holds, without making a String of them. */
  void quote(char[] chars, int offset, int count) {
    for (int i = offset; i < offset + count; i++) {
      if (!printable(chars[i])) {
        escaped(new String(chars, offset, count));
        return;
      }
    }
    ensure(count + 2);
    bytes[length++] = '"';
    // Every character is printable ASCII: one byte each.
    for (int i = 0; i < count; i++) {
      bytes[length + i] = (byte) chars[offset + i];
    }
    length += count;
    bytes[length++] = '"';
  }

  private void escaped(String text) {
    StringBuilder quoted = new StringBuilder(text.length() + 16).append('"');
    JsonStringEncoder.getInstance().quoteAsString(text, quoted);
    text(quoted.append('"').toString());
  }

  private static boolean printable(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!printable(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Printable ASCII other than a quote or a backslash: written as it is, one byte. */
  private static boolean printable(char c) {
    return c >= 0x20 && c <= 0x7e && c != '"' && c != '\\';
  }

  /** Opens an object: its members are added through the returned handle, then it is ended. */
  Members startObject() {
    ascii("{");
    return new Members(length);
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  /** The bytes' hash by {@code digest} (reset after). */
  byte[] hash(MessageDigest digest) {
    digest.update(bytes, 0, length);
    return digest.digest();
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  /** The members of one open object: where each starts, and its name. */
  final class Members {
    private final int start;
    private final List<String> names = new ArrayList<>();
    private int[] starts = new int[8];
    private boolean sorted = true;
    private List<String> ignored;

    private Members(int start) {
      this.start = start;
    }

    /** Starts the member {@code name}: its value is written next. */
    void add(String name) {
      if (!names.isEmpty()) {
        sorted &= names.get(names.size() - 1).compareTo(name) < 0;
        ascii(",");
      }
      if (names.size() == starts.length) {
        starts = Arrays.copyOf(starts, starts.length * 2);
      }
      starts[names.size()] = length;
      names.add(name);
      quote(name);
      ascii(":");
    }

    /** A member left out of the canonical form: it still counts when looking for duplicates. */
    void ignore(String name) {
      if (ignored == null) {
        ignored = new ArrayList<>(4);
      }
      ignored.add(name);
    }

    /**
     * Closes the object, its members in key order.
     *
     * @throws IllegalArgumentException when a name appears twice
     */
    void end() {
      if (ignored != null) {
        refuseIgnoredTwice();
      }
      if (!sorted) {
        reorder();
      }
      ascii("}");
    }

    private void refuseIgnoredTwice() {
      for (int i = 0; i < ignored.size(); i++) {
        String name = ignored.get(i);
        if (names.contains(name) || ignored.subList(i + 1, ignored.size()).contains(name)) {
          throw twice(name);
        }
      }
    }

    /** Puts the members in name order (an insertion sort: objects have few members). */
    private void reorder() {
      int count = names.size();
      int[] order = new int[count];
      for (int i = 0; i < count; i++) {
        int member = i;
        int j = i;
        for (; j > 0 && names.get(order[j - 1]).compareTo(names.get(member)) > 0; j--) {
          order[j] = order[j - 1];
        }
        if (j > 0 && names.get(order[j - 1]).equals(names.get(member))) {
          throw twice(names.get(member));
        }
        order[j] = member;
      }
      byte[] written = Arrays.copyOfRange(bytes, start, length);
      int end = length;
      length = start;
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          bytes[length++] = ',';
        }
        int member = order[i];
        // A member ends where the next one's comma is, or where the object ends.
        int to = member + 1 < count ? starts[member + 1] - 1 : end;
        System.arraycopy(written, starts[member] - start, bytes, length, to - starts[member]);
        length += to - starts[member];
      }
    }

    private static IllegalArgumentException twice(String name) {
      return new IllegalArgumentException("the field \"" + name + "\" appears twice");
    }
  }
}
