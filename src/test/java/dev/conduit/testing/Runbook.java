package dev.conduit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The operations runbook ({@code ../shared/reference/runbooks.md}), from the copy in the test
 * resources (RunbookTest checks that it matches the shared one).
 */
public final class Runbook {
  private Runbook() {}

  public static String text() {
    try (InputStream copy = Runbook.class.getResourceAsStream("/reference/runbooks.md")) {
      return new String(copy.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Shell commands in the runbook's code blocks, continuation lines joined. */
  public static List<String> commands(String markdown) {
    List<String> commands = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inCode = false;
    for (String line : markdown.split("\n")) {
      if (line.trim().startsWith("```")) {
        inCode = !inCode;
        continue;
      }
      if (!inCode) {
        continue;
      }
      String trimmed = line.trim();
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      if (current.chars().filter(c -> c == '\'').count() % 2 == 1) {
        current.append('\n'); // inside a quoted argument that spans lines
        continue;
      }
      commands.add(current.toString());
      current.setLength(0);
    }
    return commands;
  }
}
