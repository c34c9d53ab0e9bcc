package dev.conduit.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A program the operations tests run as the runbook does (promtool, prometheus, psql, a shell
 * script), found on the {@code PATH}. A test that needs one that is missing is skipped with a note
 * on how to install it ({@code .ci/run} installs them).
 */
public final class ExternalTool {
  private static final long LIMIT_SECONDS = 120;

  private ExternalTool() {}

  /** The tool's path, or the test is skipped. */
  public static Path require(String name, String installHint) {
    Optional<Path> found = find(name);
    Assumptions.assumeTrue(
        found.isPresent(), name + " is not installed (" + installHint + "): test skipped");
    return found.get();
  }

  public static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** What a finished command printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output) {
    public Result ok() {
      if (exitCode != 0) {
        throw new AssertionError("exit code " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  /** Runs a command to its end (failing after a generous limit), in {@code dir}. */
  public static Result run(Path dir, Map<String, String> env, String stdin, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    builder.environment().putAll(env);
    Process process = builder.start();
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    // Read while it runs, so a chatty command never blocks on a full pipe.
    List<byte[]> chunks = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                chunks.add(process.getInputStream().readAllBytes());
              } catch (IOException e) {
                chunks.add(("(output unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8));
              }
            });
    reader.start();
    if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      reader.join();
      throw new AssertionError(String.join(" ", command) + " did not finish:\n" + text(chunks));
    }
    reader.join();
    return new Result(process.exitValue(), text(chunks));
  }

  public static Result run(Path dir, String... command) throws IOException, InterruptedException {
    return run(dir, Map.of(), null, command);
  }

  private static String text(List<byte[]> chunks) {
    StringBuilder text = new StringBuilder();
    for (byte[] chunk : chunks) {
      text.append(new String(chunk, StandardCharsets.UTF_8));
    }
    return text.toString();
  }
}
