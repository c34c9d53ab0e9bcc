package dev.conduit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prints an answer: as the API's JSON untouched with {@code -o json}, else as aligned text (a table
 * of rows, or one object's fields one per line).
 */
final class Output {
  /** The {@code -o} values. */
  enum Format {
    table,
    json
  }

  /** A table column: its heading and the field path it shows ({@code latencyMs.p95}). */
  record Column(String heading, String path) {
    static Column column(String heading, String path) {
      return new Column(heading, path);
    }
  }

  private final Format format;
  private final PrintWriter out;

  Output(Format format, PrintWriter out) {
    this.format = format;
    this.out = out;
  }

  boolean json() {
    return format == Format.json;
  }

  PrintWriter writer() {
    return out;
  }

  /** The rows under {@code data} as a table, or the body as is with {@code -o json}. */
  void list(AdminClient.Answer answer, Column... columns) {
    if (json()) {
      raw(answer);
      return;
    }
    table(answer.json().path("data"), columns);
  }

  /** One object as {@code field: value} lines, or the body as is with {@code -o json}. */
  void object(AdminClient.Answer answer) {
    if (json()) {
      raw(answer);
      return;
    }
    fields(answer.json());
  }

  void raw(AdminClient.Answer answer) {
    String body = answer.body();
    out.print(body);
    if (!body.endsWith("\n")) {
      out.println();
    }
    out.flush();
  }

  void table(JsonNode rows, Column... columns) {
    List<String[]> lines = new ArrayList<>();
    String[] headings = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      headings[i] = columns[i].heading();
    }
    lines.add(headings);
    for (JsonNode row : rows) {
      String[] cells = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        cells[i] = text(at(row, columns[i].path()));
      }
      lines.add(cells);
    }
    int[] widths = new int[columns.length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        text.append(line[i]);
        if (i < line.length - 1) {
          text.append(" ".repeat(widths[i] - line[i].length() + 2));
        }
      }
      out.println(text.toString().stripTrailing());
    }
    if (lines.size() == 1) {
      out.println("(none)");
    }
    out.flush();
  }

  /** Top-level fields, names aligned; nested objects and arrays of objects as compact JSON. */
  void fields(JsonNode object) {
    int width = 0;
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      width = Math.max(width, names.next().length());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      out.println(
          field.getKey()
              + ":"
              + " ".repeat(width - field.getKey().length() + 1)
              + text(field.getValue()));
    }
    out.flush();
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  static JsonNode at(JsonNode row, String path) {
    JsonNode node = row;
    int start = 0;
    while (start <= path.length()) {
      int dot = path.indexOf('.', start);
      int end = dot < 0 ? path.length() : dot;
      node = node.path(path.substring(start, end));
      start = end + 1;
    }
    return node;
  }

  /**
   * A cell: "-" for null or absent, decimals in plain notation (0.000015, not 1.5E-5), scalars as
   * text, scalar lists comma-joined, else compact JSON.
   */
  static String text(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "-";
    }
    if (value.isFloatingPointNumber()) {
      return value.decimalValue().toPlainString();
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : value) {
        if (!item.isValueNode()) {
          return value.toString();
        }
        items.add(item.asText());
      }
      return items.isEmpty() ? "-" : String.join(",", items);
    }
    return value.toString();
  }
}
