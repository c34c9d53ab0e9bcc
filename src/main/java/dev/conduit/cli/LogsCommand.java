package dev.conduit.cli;

import static dev.conduit.cli.Output.Column.column;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit admin logs}: the request log ({@code /api/admin/logs}). */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = "The request log: tail, show, export.",
    subcommands = {LogsCommand.Tail.class, LogsCommand.Show.class, LogsCommand.Export.class})
final class LogsCommand {
  private static final String BASE = "/api/admin/logs";

  @Command(
      name = "tail",
      mixinStandardHelpOptions = true,
      description =
          "The newest request log rows, newest first; --follow for new ones as they come.")
  static final class Tail extends AdminCall {
    @Option(
        names = {"-n", "--limit"},
        paramLabel = "N",
        defaultValue = "20",
        description = "Rows (1-500, default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "The previous nextCursor.")
    String cursor;

    @Option(
        names = {"-f", "--follow"},
        description =
            "Keep printing new rows, oldest first, until interrupted (with -o json: one JSON "
                + "object per line).")
    boolean follow;

    @Option(
        names = "--interval-ms",
        paramLabel = "MS",
        defaultValue = "2000",
        description = "With --follow: time between polls (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Mixin UsageFilter filter;

    @Override
    protected void run(AdminClient client, Output out) {
      Query query = filter.addTo(Query.path(BASE), Clock.systemUTC());
      if (follow) {
        if (cursor != null || intervalMs < 100 || limit < 1 || limit > LogFollower.PAGE) {
          throw AdminFailure.usage(
              "--follow takes no --cursor, -n from 1 to 500 and --interval-ms of 100 or more");
        }
        new LogFollower(client, out, query, Duration.ofMillis(intervalMs)).follow(limit);
        return;
      }
      AdminClient.Answer answer =
          client.get(query.param("limit", limit).param("cursor", cursor).toString());
      out.list(
          answer,
          column("TIME", "timestamp"),
          column("ID", "id"),
          column("KEY", "keyId"),
          column("MODEL", "model"),
          column("PROVIDER", "provider"),
          column("STATUS", "status"),
          column("IN", "inputTokens"),
          column("OUT", "outputTokens"),
          column("COST", "cost"),
          column("MS", "latencyMs"),
          column("ERROR", "errorType"));
      Pages.mentionNext(answer, out);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One request log row.")
  static final class Show extends AdminCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--include-archive", description = "Look in archived rows too.")
    boolean includeArchive;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(
          client.get(
              Query.path(BASE + "/" + Query.segment(id))
                  .param("includeArchive", includeArchive ? "true" : null)
                  .toString()));
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "Every matching row as CSV, to stdout or --file.")
  static final class Export extends AdminCall {
    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "Write to this file.")
    Path file;

    @Mixin UsageFilter filter;

    @Override
    protected void run(AdminClient client, Output out) {
      Query query = filter.addTo(Query.path(BASE + "/export"), Clock.systemUTC());
      String csv = client.get(query.param("format", "csv").toString()).body();
      Exports.writeOrPrint(csv, file, out);
    }
  }
}
