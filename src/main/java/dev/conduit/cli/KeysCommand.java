package dev.conduit.cli;

import static dev.conduit.cli.Output.Column.column;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit admin keys}: virtual keys ({@code /api/admin/virtual-keys}). */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Virtual keys: create, list, show, update, revoke.",
    subcommands = {
      KeysCommand.Create.class,
      KeysCommand.ListKeys.class,
      KeysCommand.Show.class,
      KeysCommand.Update.class,
      KeysCommand.Revoke.class
    })
final class KeysCommand {
  private static final String BASE = "/api/admin/virtual-keys";

  private static final Output.Column[] LIST_COLUMNS = {
    column("ID", "id"),
    column("NAME", "name"),
    column("KEY", "keyHint"),
    column("ENABLED", "enabled"),
    column("MODELS", "allowedModels"),
    column("SPEND", "spend"),
    column("BUDGET", "maxBudget"),
    column("PERIOD", "budgetPeriod"),
    column("GROUP", "groupId"),
    column("EXPIRES", "expiresAt")
  };

  /** The limits both create and update take; on update, {@code none} removes one. */
  static class Limits {
    @Option(names = "--max-budget", paramLabel = "USD", description = "Budget in US dollars.")
    String maxBudget;

    @Option(
        names = "--budget-period",
        paramLabel = "PERIOD",
        description = "daily, weekly, monthly or total.")
    String budgetPeriod;

    @Option(names = "--rpm", paramLabel = "N", description = "Requests per minute.")
    String rpm;

    @Option(names = "--rpd", paramLabel = "N", description = "Requests per day.")
    String rpd;

    @Option(names = "--tpm", paramLabel = "N", description = "Tokens per minute.")
    String tpm;

    @Option(names = "--group", paramLabel = "GROUP_ID", description = "Key group id.")
    String group;

    @Option(
        names = "--ip-allow",
        paramLabel = "CIDR",
        split = ",",
        description = "Addresses or CIDRs the key may be used from (comma-separated).")
    List<String> ipAllowlist;

    void addTo(ObjectNode body) {
      number(body, "maxBudget", maxBudget, true);
      text(body, "budgetPeriod", budgetPeriod);
      number(body, "rpm", rpm, false);
      number(body, "rpd", rpd, false);
      number(body, "tpm", tpm, false);
      text(body, "groupId", group);
      list(body, "ipAllowlist", ipAllowlist);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key.")
  static final class Create extends AdminCall {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Key name.")
    String name;

    @Option(
        names = "--models",
        paramLabel = "ALIAS",
        split = ",",
        description = "Allowed aliases or prefixes ending in * (default: every model).")
    List<String> models;

    @Option(names = "--expires-at", paramLabel = "TIME", description = "ISO-8601 date-time.")
    String expiresAt;

    @Option(names = "--metadata", paramLabel = "JSON", description = "A JSON object.")
    String metadata;

    @Mixin Limits limits;

    @Override
    protected void run(AdminClient client, Output out) {
      ObjectNode body = AdminClient.JSON.createObjectNode().put("name", name);
      list(body, "allowedModels", models);
      text(body, "expiresAt", expiresAt);
      json(body, "metadata", metadata);
      limits.addTo(body);
      AdminClient.Answer answer = client.post(BASE, body);
      out.object(answer);
      if (!out.json()) {
        out.line("");
        out.line("The key is shown this once; store it now.");
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys.")
  static final class ListKeys extends AdminCall {
    @Override
    protected void run(AdminClient client, Output out) {
      out.list(client.get(BASE), LIST_COLUMNS);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one key.")
  static final class Show extends AdminCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.get(BASE + "/" + Query.segment(id)));
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Change a key; 'none' removes a limit, an expiry or the model list.")
  static final class Update extends AdminCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--name", paramLabel = "NAME")
    String name;

    @Option(names = "--enabled", paramLabel = "true|false", arity = "1")
    Boolean enabled;

    @Option(
        names = "--models",
        paramLabel = "ALIAS",
        split = ",",
        description = "Allowed aliases; 'none' allows every model.")
    List<String> models;

    @Option(names = "--expires-at", paramLabel = "TIME", description = "ISO time or 'none'.")
    String expiresAt;

    @Option(names = "--metadata", paramLabel = "JSON", description = "A JSON object.")
    String metadata;

    @Mixin Limits limits;

    @Override
    protected void run(AdminClient client, Output out) {
      ObjectNode body = AdminClient.JSON.createObjectNode();
      text(body, "name", name);
      if (enabled != null) {
        body.put("enabled", enabled);
      }
      list(body, "allowedModels", models);
      text(body, "expiresAt", expiresAt);
      json(body, "metadata", metadata);
      limits.addTo(body);
      if (body.isEmpty()) {
        throw AdminFailure.usage("nothing to change: give at least one option (see --help)");
      }
      out.object(client.patch(BASE + "/" + Query.segment(id), body));
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key for good.")
  static final class Revoke extends AdminCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.delete(BASE + "/" + Query.segment(id)));
    }
  }

  private static boolean none(String value) {
    return value.equalsIgnoreCase("none");
  }

  static void text(ObjectNode body, String field, String value) {
    if (value != null) {
      if (none(value)) {
        body.putNull(field);
      } else {
        body.put(field, value);
      }
    }
  }

  static void list(ObjectNode body, String field, List<String> values) {
    if (values == null) {
      return;
    }
    if (values.size() == 1 && none(values.get(0))) {
      body.putNull(field);
      return;
    }
    ArrayNode array = body.putArray(field);
    values.forEach(array::add);
  }

  /** A money or count value sent as an exact JSON number, so the API checks its range. */
  static void number(ObjectNode body, String field, String value, boolean decimal) {
    if (value == null) {
      return;
    }
    if (none(value)) {
      body.putNull(field);
      return;
    }
    BigDecimal number;
    try {
      number = new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw AdminFailure.usage("--" + option(field) + " takes a number, not '" + value + "'");
    }
    if (!decimal && number.stripTrailingZeros().scale() > 0) {
      throw AdminFailure.usage("--" + option(field) + " takes a whole number");
    }
    body.put(field, number);
  }

  static void json(ObjectNode body, String field, String value) {
    if (value == null) {
      return;
    }
    try {
      JsonNode parsed = AdminClient.JSON.readTree(value);
      body.set(field, parsed);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw AdminFailure.usage("--" + field + " is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String option(String field) {
    return field.equals("maxBudget") ? "max-budget" : field;
  }
}
