package dev.conduit.cli;

import static dev.conduit.cli.Output.Column.column;

import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit admin costs}: the price table ({@code /api/admin/model-costs}). */
@Command(
    name = "costs",
    mixinStandardHelpOptions = true,
    description = "The price table: list, import, export.",
    subcommands = {
      CostsCommand.ListCosts.class,
      CostsCommand.Import.class,
      CostsCommand.Export.class
    })
final class CostsCommand {
  private static final String BASE = "/api/admin/model-costs";

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Prices, USD.")
  static final class ListCosts extends AdminCall {
    @Option(names = "--provider", paramLabel = "NAME")
    String provider;

    @Option(names = "--model", paramLabel = "MODEL")
    String model;

    @Override
    protected void run(AdminClient client, Output out) {
      out.list(
          client.get(Query.path(BASE).param("provider", provider).param("model", model).toString()),
          column("PROVIDER", "provider"),
          column("MODEL", "model"),
          column("INPUT/M", "inputPerMillion"),
          column("OUTPUT/M", "outputPerMillion"),
          column("CACHED/M", "cachedInputPerMillion"),
          column("PER_REQUEST", "perRequest"),
          column("SOURCE", "source"),
          column("ID", "id"));
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Insert or replace prices by provider and model from a JSON or CSV file, all or none.")
  static final class Import extends AdminCall {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(
        names = "--format",
        paramLabel = "json|csv",
        description = "The file's format (default: from its extension, else json).")
    String format;

    @Override
    protected void run(AdminClient client, Output out) {
      String chosen = format != null ? format.toLowerCase(Locale.ROOT) : byExtension(file);
      String body = Exports.read(file);
      AdminClient.Answer answer =
          client.send(
              "POST",
              Query.path(BASE + "/import").param("format", chosen).toString(),
              body,
              chosen.equals("csv") ? "text/csv" : "application/json");
      if (out.json()) {
        out.raw(answer);
        return;
      }
      out.line(
          "Imported "
              + file
              + ": "
              + Output.text(answer.json().path("created"))
              + " created, "
              + Output.text(answer.json().path("updated"))
              + " updated.");
    }

    private static String byExtension(Path file) {
      return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")
          ? "csv"
          : "json";
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "Every price as JSON or CSV, to stdout or --file.")
  static final class Export extends AdminCall {
    @Option(
        names = "--format",
        paramLabel = "json|csv",
        defaultValue = "json",
        description = "json (default) or csv.")
    String format;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "Write to this file.")
    Path file;

    @Override
    protected void run(AdminClient client, Output out) {
      String text =
          client
              .get(
                  Query.path(BASE + "/export")
                      .param("format", format.toLowerCase(Locale.ROOT))
                      .toString())
              .body();
      Exports.writeOrPrint(text.endsWith("\n") ? text : text + "\n", file, out);
    }
  }
}
