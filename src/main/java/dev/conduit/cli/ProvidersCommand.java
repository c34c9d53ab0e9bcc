package dev.conduit.cli;

import static dev.conduit.cli.Output.Column.column;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code conduit admin providers}: provider definitions and the runbook's provider operations
 * ({@code /api/admin/providers}).
 */
@Command(
    name = "providers",
    mixinStandardHelpOptions = true,
    description = "Providers: list, show, health, check, disable, enable, reset-circuit, config.",
    subcommands = {
      ProvidersCommand.ListProviders.class,
      ProvidersCommand.Show.class,
      ProvidersCommand.Health.class,
      ProvidersCommand.Check.class,
      ProvidersCommand.Disable.class,
      ProvidersCommand.Enable.class,
      ProvidersCommand.ResetCircuit.class,
      ProvidersCommand.Config.class
    })
final class ProvidersCommand {
  private static final String BASE = "/api/admin/providers";

  private static final Output.Column[] HEALTH_COLUMNS = {
    column("NAME", "name"),
    column("TYPE", "type"),
    column("STATUS", "status"),
    column("ENABLED", "enabled"),
    column("ERROR_RATE", "errorRate"),
    column("CALLS", "recentCalls"),
    column("P50_MS", "latencyMs.p50"),
    column("P95_MS", "latencyMs.p95"),
    column("KEYS_ACTIVE", "apiKeys.active"),
    column("REASON", "reason")
  };

  private static String path(String name) {
    return BASE + "/" + Query.segment(name);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Providers in force.")
  static final class ListProviders extends AdminCall {
    @Override
    protected void run(AdminClient client, Output out) {
      out.list(
          client.get(BASE),
          column("NAME", "name"),
          column("TYPE", "type"),
          column("BASE_URL", "baseUrl"),
          column("ENABLED", "enabled"),
          column("API_KEYS", "apiKeys"),
          column("SOURCE", "source"));
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One provider.")
  static final class Show extends AdminCall {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.get(path(name)));
    }
  }

  @Command(
      name = "health",
      mixinStandardHelpOptions = true,
      description = "Each provider's health as this instance sees it.")
  static final class Health extends AdminCall {
    @Override
    protected void run(AdminClient client, Output out) {
      out.list(client.get(BASE + "/health"), HEALTH_COLUMNS);
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Run the active health checks now and show their results.")
  static final class Check extends AdminCall {
    @Override
    protected void run(AdminClient client, Output out) {
      AdminClient.Answer answer = client.post(BASE + "/health/check", null);
      if (out.json()) {
        out.raw(answer);
        return;
      }
      out.table(
          answer.json().path("checks"),
          column("PROVIDER", "provider"),
          column("CHECKED", "checked"),
          column("OK", "ok"),
          column("LATENCY_MS", "latencyMs"),
          column("ERROR", "error"));
      out.line("");
      out.table(answer.json().path("data"), HEALTH_COLUMNS);
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Take a provider out of routing at once.")
  static final class Disable extends AdminCall {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.patch(path(name) + "/disable", null));
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Put a provider back into routing.")
  static final class Enable extends AdminCall {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.patch(path(name) + "/enable", null));
    }
  }

  @Command(
      name = "reset-circuit",
      mixinStandardHelpOptions = true,
      description =
          "Close a provider's circuits and put its rejected keys back, on every instance.")
  static final class ResetCircuit extends AdminCall {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    protected void run(AdminClient client, Output out) {
      out.object(client.post(path(name) + "/reset-circuit", null));
    }
  }

  @Command(
      name = "config",
      mixinStandardHelpOptions = true,
      description = "Set a provider's regional endpoints (replacing the previous ones).")
  static final class Config extends AdminCall {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
        names = "--endpoint",
        paramLabel = "REGION=URL",
        description = "A regional endpoint; repeat for several.")
    Map<String, String> endpoints;

    @Option(names = "--clear", description = "Remove every regional endpoint.")
    boolean clear;

    @Override
    protected void run(AdminClient client, Output out) {
      if ((endpoints == null || endpoints.isEmpty()) == !clear) {
        throw AdminFailure.usage("give --endpoint REGION=URL (one or more) or --clear");
      }
      ObjectNode body = AdminClient.JSON.createObjectNode().put("provider", name);
      ObjectNode regional = body.putObject("regionalEndpoints");
      if (endpoints != null) {
        endpoints.forEach(regional::put);
      }
      out.object(client.post(BASE + "/config", body));
    }
  }
}
