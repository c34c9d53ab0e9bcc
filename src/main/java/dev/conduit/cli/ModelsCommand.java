package dev.conduit.cli;

import static dev.conduit.cli.Output.Column.column;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit admin models}: model mappings, aliases and their deployments. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "Model mappings (aliases and their deployments): list, show.",
    subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class})
final class ModelsCommand {
  private static final String BASE = "/api/admin/model-mappings";

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Aliases in force.")
  static final class ListModels extends AdminCall {
    @Override
    protected void run(AdminClient client, Output out) {
      AdminClient.Answer answer = client.get(BASE);
      if (out.json()) {
        out.raw(answer);
        return;
      }
      ArrayNode rows = AdminClient.JSON.createArrayNode();
      for (JsonNode mapping : answer.json().path("data")) {
        StringBuilder deployments = new StringBuilder();
        for (JsonNode deployment : mapping.path("deployments")) {
          deployments
              .append(deployments.length() == 0 ? "" : ",")
              .append(deployment.path("provider").asText())
              .append('/')
              .append(deployment.path("model").asText());
        }
        rows.add(
            AdminClient.JSON
                .createObjectNode()
                .put("alias", mapping.path("alias").asText())
                .put("strategy", Output.text(mapping.path("strategy")))
                .put("deployments", deployments.toString())
                .put("fallbacks", Output.text(mapping.path("fallbacks")))
                .put("source", Output.text(mapping.path("source"))));
      }
      out.table(
          rows,
          column("ALIAS", "alias"),
          column("STRATEGY", "strategy"),
          column("DEPLOYMENTS", "deployments"),
          column("FALLBACKS", "fallbacks"),
          column("SOURCE", "source"));
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One alias.")
  static final class Show extends AdminCall {
    @Parameters(paramLabel = "ALIAS")
    String alias;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.get(BASE + "/" + Query.segment(alias)));
    }
  }
}
