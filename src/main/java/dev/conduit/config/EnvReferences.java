package dev.conduit.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} and {@code ${VAR:-default}} references inside configuration values.
 *
 * <p>A reference to an unset variable with no default is left in place, so that the caller can
 * decide whether that is fatal (most keys) or only disables one provider (its API keys).
 */
public final class EnvReferences {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Map<String, String> env;

  public EnvReferences(Map<String, String> env) {
    this.env = env;
  }

  /** The value with every resolvable reference replaced. */
  public Resolved resolve(String value) {
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    List<String> unset = new ArrayList<>();
    while (matcher.find()) {
      String name = matcher.group(1);
      String fallback = matcher.group(2);
      String replacement = env.get(name);
      if (replacement == null || replacement.isEmpty()) {
        replacement = fallback;
      }
      if (replacement == null) {
        unset.add(name);
        replacement = matcher.group();
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return new Resolved(out.toString(), List.copyOf(unset));
  }

  /** The variable name if {@code value} still holds an unresolved reference. */
  public static Optional<String> unresolvedVariable(String value) {
    if (value == null) {
      return Optional.empty();
    }
    Matcher matcher = REFERENCE.matcher(value);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** A resolved value and the variables it names that are not set. */
  public record Resolved(String value, List<String> unsetVariables) {}
}
