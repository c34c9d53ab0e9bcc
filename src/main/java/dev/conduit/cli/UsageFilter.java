package dev.conduit.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The usage analytics filters ({@code logs}, {@code spend}) as options, added to a query. */
final class UsageFilter {
  private static final Pattern AGE = Pattern.compile("(\\d+)([dhm])");

  @Option(names = "--key", paramLabel = "KEY_ID", description = "Only this virtual key.")
  String key;

  @Option(names = "--group", paramLabel = "GROUP_ID", description = "Only this key group.")
  String group;

  @Option(names = "--model", paramLabel = "ALIAS", description = "Only this alias.")
  String model;

  @Option(names = "--provider", paramLabel = "NAME", description = "Only this provider.")
  String provider;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "An HTTP status (429), 5xx, success or error.")
  String status;

  @Option(
      names = "--since",
      paramLabel = "AGE",
      description = "Only the last days, hours or minutes (7d, 24h, 30m); instead of --from.")
  String since;

  @Option(names = "--from", paramLabel = "TIME", description = "From (inclusive): date or time.")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "To (exclusive): date or time.")
  String to;

  @Option(names = "--include-archive", description = "Read archived rows too.")
  boolean includeArchive;

  Query addTo(Query query, Clock clock) {
    return query
        .param("key", key)
        .param("group", group)
        .param("model", model)
        .param("provider", provider)
        .param("status", status)
        .param("from", from(clock))
        .param("to", to)
        .param("includeArchive", includeArchive ? "true" : null);
  }

  private String from(Clock clock) {
    if (since == null) {
      return from;
    }
    if (from != null) {
      throw AdminFailure.usage("give --since or --from, not both");
    }
    Matcher age = AGE.matcher(since);
    if (!age.matches()) {
      throw AdminFailure.usage("--since takes days, hours or minutes (7d, 24h, 30m)");
    }
    long amount = Long.parseLong(age.group(1));
    Duration back =
        switch (age.group(2)) {
          case "d" -> Duration.ofDays(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofMinutes(amount);
        };
    return clock.instant().minus(back).toString();
  }
}
