package dev.conduit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine command = Main.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void versionPrintsTheBuildVersion() {
    assertThat(run("version")).isZero();
    assertThat(out.toString()).matches("conduit \\d+\\.\\d+\\.\\d+.*\\s*");
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("serve")
        .contains("archive")
        .contains("admin")
        .contains("version");
    assertThat(run("serve", "--help")).isZero();
    assertThat(out.toString()).contains("--config");
  }

  @Test
  void adminIsASubcommandThatNeedsTheMasterKey() {
    assertThat(run("admin", "keys", "--help")).isZero();
    assertThat(out.toString()).contains("create").contains("revoke");

    CommandLine command = Main.commandLine(Map.of("CONDUIT_ADMIN_URL", "http://127.0.0.1:1"));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    assertThat(command.execute("admin", "keys", "list")).isEqualTo(2);
    assertThat(err.toString()).contains("no master key");
    assertThat(command.execute("admin", "KEYS", "list")).as("usage error").isEqualTo(2);
  }

  @Test
  void anInvalidConfigStopsTheStartWithAMessageNamingFileAndKey(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "server:\n  prot: 8080\n");

    assertThat(run("serve", "--config", config.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("bad.yaml").contains("server.prot").contains("unknown key");
  }
}
