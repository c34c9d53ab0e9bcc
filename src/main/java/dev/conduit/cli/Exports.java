package dev.conduit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where an export goes: a file when given, else stdout as is. */
final class Exports {
  private Exports() {}

  static void writeOrPrint(String text, Path file, Output out) {
    if (file == null) {
      out.writer().print(text);
      out.writer().flush();
      return;
    }
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw AdminFailure.usage("cannot write " + file + ": " + e.getMessage());
    }
    out.line("Wrote " + file + ".");
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw AdminFailure.usage("cannot read " + file + ": " + e.getClass().getSimpleName());
    }
  }
}
