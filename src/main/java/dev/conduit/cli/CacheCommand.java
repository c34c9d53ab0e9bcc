package dev.conduit.cli;

import static dev.conduit.cli.Output.Column.column;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit admin cache}: warm connections (and the response cache) for aliases, flush and
 * read the response cache ({@code /api/admin/cache}). A gateway without the response cache's admin
 * calls answers 404, which is printed like any API error.
 */
@Command(
    name = "cache",
    mixinStandardHelpOptions = true,
    description = "Warm aliases; the response cache's stats and flush.",
    subcommands = {CacheCommand.Warm.class, CacheCommand.Flush.class, CacheCommand.Stats.class})
final class CacheCommand {
  private static final String BASE = "/api/admin/cache";

  @Command(
      name = "warm",
      mixinStandardHelpOptions = true,
      description = "Resolve aliases and open connections to their deployments before traffic.")
  static final class Warm extends AdminCall {
    @Parameters(paramLabel = "ALIAS", arity = "1..*")
    List<String> models;

    @Override
    protected void run(AdminClient client, Output out) {
      ObjectNode body = AdminClient.JSON.createObjectNode();
      ArrayNode array = body.putArray("models");
      models.forEach(array::add);
      AdminClient.Answer answer = client.post(BASE + "/warm", body);
      if (out.json()) {
        out.raw(answer);
        return;
      }
      ArrayNode rows = AdminClient.JSON.createArrayNode();
      for (JsonNode model : answer.json().path("data")) {
        for (JsonNode deployment : model.path("deployments")) {
          rows.add(
              AdminClient.JSON
                  .createObjectNode()
                  .put("model", model.path("model").asText())
                  .put("status", model.path("status").asText())
                  .put("deployment", deployment.path("deployment").asText())
                  .put("deploymentStatus", deployment.path("status").asText())
                  .set("error", deployment.path("error")));
        }
        if (model.path("deployments").isEmpty()) {
          rows.add(
              AdminClient.JSON
                  .createObjectNode()
                  .put("model", model.path("model").asText())
                  .put("status", model.path("status").asText()));
        }
      }
      out.table(
          rows,
          column("MODEL", "model"),
          column("STATUS", "status"),
          column("DEPLOYMENT", "deployment"),
          column("DEPLOYMENT_STATUS", "deploymentStatus"),
          column("ERROR", "error"));
    }
  }

  @Command(
      name = "flush",
      mixinStandardHelpOptions = true,
      description = "Drop cached answers: all, or one alias's, or one key's.")
  static final class Flush extends AdminCall {
    @Option(names = "--model", paramLabel = "ALIAS")
    String model;

    @Option(names = "--key", paramLabel = "KEY_ID")
    String keyId;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(
          client.delete(Query.path(BASE).param("model", model).param("keyId", keyId).toString()));
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = "The response cache's settings and entry counts.")
  static final class Stats extends AdminCall {
    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.get(BASE));
    }
  }
}
