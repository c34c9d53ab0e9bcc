package dev.conduit;

import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigException;
import dev.conduit.config.ConfigLoader;
import dev.conduit.provider.ProviderRegistry;
import dev.conduit.store.Database;
import dev.conduit.store.RequestLogArchive;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code conduit archive --older-than 90d}: moves old request log rows to {@code
 * request_logs_archive} in the configured database (what the runbook's "Archive Old Data" does by
 * hand, in batches that each commit on their own, so it can be stopped and run again at any time).
 */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    description =
        "Move request log rows older than --older-than into request_logs_archive, a batch per "
            + "transaction. Safe to interrupt and run again; spend totals are not changed.")
final class ArchiveCommand implements Callable<Integer> {
  private static final Pattern AGE = Pattern.compile("(\\d+)([dh])");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      defaultValue = "conduit.yaml",
      description = "YAML configuration file naming the database (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(
      names = "--older-than",
      required = true,
      paramLabel = "AGE",
      description = "Archive rows older than this: days (90d) or hours (36h).")
  String olderThan;

  @Option(
      names = "--batch-size",
      defaultValue = "1000",
      paramLabel = "ROWS",
      description = "Rows moved per transaction (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--pause-ms",
      defaultValue = "0",
      paramLabel = "MS",
      description = "Pause between batches, to go easy on a busy database (default: none).")
  long pauseMs;

  @Override
  public Integer call() throws Exception {
    Matcher age = AGE.matcher(olderThan);
    if (!age.matches() || batchSize < 1 || pauseMs < 0) {
      spec.commandLine()
          .getErr()
          .println(
              "conduit: --older-than takes days or hours (90d, 36h), --batch-size at least 1, "
                  + "--pause-ms zero or more");
      return 2;
    }
    long amount = Long.parseLong(age.group(1));
    Duration keep = age.group(2).equals("d") ? Duration.ofDays(amount) : Duration.ofHours(amount);
    ConduitConfig loaded;
    try {
      loaded = new ConfigLoader(System.getenv(), ProviderRegistry.configTypes()).load(config);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("conduit: invalid configuration: " + e.getMessage());
      return 2;
    }
    Instant cutoff = Instant.now().minus(keep);
    try (Database database = Database.open(loaded.database(), new SimpleMeterRegistry())) {
      long moved =
          new RequestLogArchive(database)
              .archiveOlderThan(
                  cutoff,
                  batchSize,
                  total -> {
                    if (pauseMs > 0) {
                      Thread.sleep(pauseMs);
                    }
                  });
      spec.commandLine()
          .getOut()
          .println("Archived " + moved + " request log rows older than " + cutoff + ".");
    }
    return 0;
  }
}
