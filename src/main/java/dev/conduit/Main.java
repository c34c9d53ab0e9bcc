package dev.conduit;

import dev.conduit.assembly.Gateway;
import dev.conduit.cli.AdminCommand;
import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigException;
import dev.conduit.config.ConfigLoader;
import dev.conduit.provider.ProviderRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code conduit} command line. */
@Command(
    name = "conduit",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Conduit: an LLM API gateway with an OpenAI-compatible API.",
    subcommands = {
      Main.Serve.class,
      ArchiveCommand.class,
      Main.PrintVersion.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /** With {@code env} for {@code conduit admin} (the URL and master key it reads). */
  static CommandLine commandLine(Map<String, String> env) {
    CommandLine line = new CommandLine(new Main());
    line.addSubcommand(new AdminCommand(env));
    return AdminCommand.configure(line);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code conduit serve}: run the gateway until stopped. */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Start the gateway (client API and admin API) and run until stopped.")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        defaultValue = "conduit.yaml",
        description = "YAML configuration file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Override
    public Integer call() throws Exception {
      ConduitConfig loaded;
      try {
        loaded = new ConfigLoader(System.getenv(), ProviderRegistry.configTypes()).load(config);
      } catch (ConfigException e) {
        spec.commandLine().getErr().println("conduit: invalid configuration: " + e.getMessage());
        return 2;
      }
      Gateway gateway = Gateway.start(loaded);
      GracefulStop stop = new GracefulStop(gateway);
      // SIGTERM (Kubernetes, systemd, docker stop) and SIGINT drain and then exit 0 through this
      // method; a shutdown hook alone could not, as the JVM then exits 143. The hook still drains
      // on any other exit (System.exit elsewhere, or a platform without these signals).
      for (String signal : new String[] {"TERM", "INT"}) {
        try {
          sun.misc.Signal.handle(
              new sun.misc.Signal(signal),
              received -> new Thread(stop::run, "conduit-drain").start());
        } catch (IllegalArgumentException e) {
          // The signal is unknown here or reserved by the JVM: the shutdown hook covers it.
        }
      }
      Runtime.getRuntime().addShutdownHook(new Thread(stop::run, "conduit-shutdown"));
      stop.await();
      return 0;
    }
  }

  /** Drains the gateway once, however many signals and hooks ask; later callers wait for it. */
  static final class GracefulStop {
    private final Gateway gateway;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean started;

    GracefulStop(Gateway gateway) {
      this.gateway = gateway;
    }

    void run() {
      boolean first;
      synchronized (this) {
        first = !started;
        started = true;
      }
      if (!first) {
        awaitQuietly();
        return;
      }
      try {
        gateway.drain();
      } finally {
        stopped.countDown();
      }
    }

    void await() throws InterruptedException {
      stopped.await();
    }

    private void awaitQuietly() {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** {@code conduit version}. */
  @Command(name = "version", description = "Print the version.")
  static final class PrintVersion implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().getOut().println("conduit " + Version.current());
    }
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    static String current() {
      Properties properties = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/conduit-version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        return "unknown";
      }
      return properties.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
      return new String[] {"conduit " + current()};
    }
  }
}
