package dev.conduit.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A path with query parameters; parameters whose value is null are left out. */
final class Query {
  private final StringBuilder text;
  private boolean first = true;

  private Query(String path) {
    this.text = new StringBuilder(path);
  }

  static Query path(String path) {
    return new Query(path);
  }

  /** Appends a path segment, encoded (ids and names come from the command line). */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Query param(String name, Object value) {
    if (value != null) {
      text.append(first ? '?' : '&')
          .append(name)
          .append('=')
          .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
      first = false;
    }
    return this;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
