package dev.conduit.testing;

import java.util.Map;
import java.util.OptionalDouble;

/** Reads samples out of a Prometheus text exposition, for assertions on {@code /metrics}. */
public final class PromText {
  private PromText() {}

  /** The value of the first sample of {@code name} carrying all of {@code labels}. */
  public static OptionalDouble value(String exposition, String name, Map<String, String> labels) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      boolean matches = true;
      for (Map.Entry<String, String> label : labels.entrySet()) {
        if (!line.contains(label.getKey() + "=\"" + label.getValue() + "\"")) {
          matches = false;
          break;
        }
      }
      if (matches) {
        return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return OptionalDouble.empty();
  }

  /** Whether any sample named exactly {@code name} (no suffix) is present. */
  public static boolean hasSeries(String exposition, String name) {
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        return true;
      }
    }
    return false;
  }
}
