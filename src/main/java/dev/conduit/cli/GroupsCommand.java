package dev.conduit.cli;

import static dev.conduit.cli.Output.Column.column;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conduit admin groups}: key groups and their balances ({@code /api/admin/key-groups}). */
@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description = "Key groups: list, show, create, rename, delete, adjust, transactions.",
    subcommands = {
      GroupsCommand.ListGroups.class,
      GroupsCommand.Show.class,
      GroupsCommand.Create.class,
      GroupsCommand.Rename.class,
      GroupsCommand.Delete.class,
      GroupsCommand.Adjust.class,
      GroupsCommand.Transactions.class
    })
final class GroupsCommand {
  private static final String BASE = "/api/admin/key-groups";

  private static final Output.Column[] GROUP_COLUMNS = {
    column("ID", "id"),
    column("NAME", "name"),
    column("BALANCE", "balance"),
    column("SPEND", "spend"),
    column("CREDITS", "credits"),
    column("CREATED", "createdAt")
  };

  private static String path(String id) {
    return BASE + "/" + Query.segment(id);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List key groups.")
  static final class ListGroups extends AdminCall {
    @Override
    protected void run(AdminClient client, Output out) {
      out.list(client.get(BASE), GROUP_COLUMNS);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one group.")
  static final class Show extends AdminCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.get(path(id)));
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a group.")
  static final class Create extends AdminCall {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    @Option(names = "--balance", paramLabel = "USD", description = "Initial credit, US dollars.")
    String balance;

    @Override
    protected void run(AdminClient client, Output out) {
      ObjectNode body = AdminClient.JSON.createObjectNode().put("name", name);
      KeysCommand.number(body, "balance", balance, true);
      out.object(client.post(BASE, body));
    }
  }

  @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a group.")
  static final class Rename extends AdminCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.put(path(id), AdminClient.JSON.createObjectNode().put("name", name)));
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a group (refused while active keys belong to it).")
  static final class Delete extends AdminCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.delete(path(id)));
    }
  }

  @Command(
      name = "adjust",
      mixinStandardHelpOptions = true,
      description = "Credit (positive) or debit (negative) a group's balance.")
  static final class Adjust extends AdminCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--amount", required = true, paramLabel = "USD")
    String amount;

    @Option(names = "--reason", required = true, paramLabel = "TEXT")
    String reason;

    @Override
    protected void run(AdminClient client, Output out) {
      ObjectNode body = AdminClient.JSON.createObjectNode();
      KeysCommand.number(body, "amount", amount, true);
      body.put("reason", reason);
      AdminClient.Answer answer = client.post(path(id) + "/adjust-balance", body);
      if (out.json()) {
        out.raw(answer);
        return;
      }
      JsonNode group = answer.json().path("group");
      JsonNode transaction = answer.json().path("transaction");
      out.line(
          "Adjusted "
              + Output.text(group.path("name"))
              + " by "
              + Output.text(transaction.path("amount"))
              + " USD; balance now "
              + Output.text(group.path("balance"))
              + " (transaction "
              + Output.text(transaction.path("id"))
              + ").");
    }
  }

  @Command(
      name = "transactions",
      mixinStandardHelpOptions = true,
      description = "A group's transactions, newest first.")
  static final class Transactions extends AdminCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--limit", paramLabel = "N", description = "Rows (1-500, default 50).")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "The previous nextCursor.")
    String cursor;

    @Override
    protected void run(AdminClient client, Output out) {
      AdminClient.Answer answer =
          client.get(
              Query.path(path(id) + "/transactions")
                  .param("limit", limit)
                  .param("cursor", cursor)
                  .toString());
      out.list(
          answer,
          column("ID", "id"),
          column("KIND", "kind"),
          column("AMOUNT", "amount"),
          column("REASON", "reason"),
          column("CREATED", "createdAt"));
      Pages.mentionNext(answer, out);
    }
  }
}
