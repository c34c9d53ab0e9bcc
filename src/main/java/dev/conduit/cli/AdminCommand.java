package dev.conduit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code conduit admin}: the admin API from the command line. It talks HTTP to a running gateway's
 * admin listener only, never to its internals, so anything it does a script can do with curl. The
 * master key comes from {@code CONDUIT_MASTER_KEY} or a file, never from an argument (arguments
 * show in process lists and shell history).
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = {
      "Operate a running gateway through its admin API.",
      "The master key is read from CONDUIT_MASTER_KEY or --master-key-file.",
      "Exit codes: 0 done, 1 the API answered an error, 2 usage error, 3 cannot connect."
    },
    subcommands = {
      KeysCommand.class,
      GroupsCommand.class,
      ProvidersCommand.class,
      ModelsCommand.class,
      CostsCommand.class,
      LogsCommand.class,
      SpendCommand.class,
      CacheCommand.class,
      CompletionCommand.class
    })
public final class AdminCommand implements Runnable {
  static final String DEFAULT_URL = "http://localhost:8081";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = "Admin API base URL (default: $CONDUIT_ADMIN_URL, else " + DEFAULT_URL + ").")
  String url;

  @Option(
      names = "--master-key-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "File holding the master key (default: $CONDUIT_MASTER_KEY).")
  Path masterKeyFile;

  /**
   * Not an option: taken only so that a key typed here is refused without picocli echoing it back
   * as an unknown argument.
   */
  @Option(names = "--master-key", hidden = true, scope = ScopeType.INHERIT, paramLabel = "KEY")
  String masterKeyArgument;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      defaultValue = "table",
      description = "table (aligned text, the default) or json (the API's JSON as is).")
  Output.Format format;

  private final Map<String, String> env;

  /** With the process environment ({@code System.getenv()}), or a test's. */
  public AdminCommand(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** A command line of its own, for tests and for embedding under {@code conduit}. */
  public static CommandLine commandLine(Map<String, String> env) {
    return configure(new CommandLine(new AdminCommand(env)));
  }

  /** Case-insensitive enum values ({@code -o JSON}), as the root command line should do too. */
  public static CommandLine configure(CommandLine line) {
    return line.setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  Output.Format format() {
    return format == null ? Output.Format.table : format;
  }

  /** A client for the chosen URL and master key; an {@link AdminFailure} when either is missing. */
  AdminClient client() {
    String base = url != null ? url : env.getOrDefault("CONDUIT_ADMIN_URL", DEFAULT_URL);
    if (base.isBlank()) {
      throw AdminFailure.usage("the admin URL is empty: pass --url or set CONDUIT_ADMIN_URL");
    }
    return new AdminClient(base.strip(), masterKey());
  }

  private String masterKey() {
    if (masterKeyArgument != null) {
      throw AdminFailure.usage(
          "the master key is not taken as an argument (process lists and shell history would"
              + " show it): set CONDUIT_MASTER_KEY or pass --master-key-file FILE");
    }
    String key;
    if (masterKeyFile != null) {
      try {
        key = Files.readString(masterKeyFile).strip();
      } catch (IOException e) {
        throw AdminFailure.usage(
            "cannot read the master key file "
                + masterKeyFile
                + ": "
                + e.getClass().getSimpleName());
      }
      if (key.isEmpty()) {
        throw AdminFailure.usage("the master key file " + masterKeyFile + " is empty");
      }
      return key;
    }
    key = env.get("CONDUIT_MASTER_KEY");
    if (key == null || key.isBlank()) {
      throw AdminFailure.usage(
          "no master key: set CONDUIT_MASTER_KEY or pass --master-key-file FILE");
    }
    return key.strip();
  }
}
