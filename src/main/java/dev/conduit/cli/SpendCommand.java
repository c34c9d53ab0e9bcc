package dev.conduit.cli;

import static dev.conduit.cli.Output.Column.column;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code conduit admin spend --by model --since 7d}: spend totals ({@code /api/admin/spend}). */
@Command(
    name = "spend",
    mixinStandardHelpOptions = true,
    description = "Requests, tokens and cost grouped by key, group, model, provider or day.")
final class SpendCommand extends AdminCall {
  /** The {@code --by} values. */
  enum GroupBy {
    key,
    group,
    model,
    provider,
    day
  }

  @Option(
      names = "--by",
      paramLabel = "GROUPING",
      defaultValue = "model",
      description = "key, group, model, provider or day (default: ${DEFAULT-VALUE}).")
  GroupBy by;

  @Mixin UsageFilter filter;

  @Override
  protected void run(AdminClient client, Output out) {
    Query query =
        filter.addTo(Query.path("/api/admin/spend").param("groupBy", by), Clock.systemUTC());
    AdminClient.Answer answer = client.get(query.toString());
    if (out.json()) {
      out.raw(answer);
      return;
    }
    ArrayNode rows = AdminClient.JSON.createArrayNode();
    answer.json().path("data").forEach(rows::add);
    rows.add(((ObjectNode) answer.json().path("total").deepCopy()).put("group", "TOTAL"));
    out.table(
        rows,
        column(by.name().toUpperCase(Locale.ROOT), "group"),
        column("REQUESTS", "requests"),
        column("INPUT", "inputTokens"),
        column("OUTPUT", "outputTokens"),
        column("CACHED", "cachedTokens"),
        column("COST_USD", "cost"));
  }
}
