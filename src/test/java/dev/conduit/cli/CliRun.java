package dev.conduit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conduit.testing.TestGateway;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** One {@code conduit admin ...} run in process: its exit code, stdout and stderr. */
record CliRun(int exit, String out, String err) {
  /** Runs {@code args} with {@code env} as the environment. */
  static CliRun run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = AdminCommand.commandLine(env);
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** The environment pointing at {@code gateway}'s admin listener with its master key. */
  static Map<String, String> envFor(TestGateway gateway) {
    return Map.of(
        "CONDUIT_ADMIN_URL", gateway.adminUrl(""), "CONDUIT_MASTER_KEY", TestGateway.MASTER_KEY);
  }

  /** Stdout parsed as JSON ({@code -o json}); fails the test when it is not. */
  JsonNode json() throws Exception {
    return TestGateway.json(out);
  }

  @Override
  public String toString() {
    return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
}
