package dev.conduit.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 10: with the default timeouts a hung upstream is given up on well under a minute,
 * and the documentation states the defaults the code has.
 */
class TimeoutDefaultsTest {
  private final TimeoutsConfig timeouts = TimeoutsConfig.DEFAULTS;
  private final RoutingConfig routing = RoutingConfig.defaults();

  @Test
  void theDefaultsGiveUpOnAHungUpstreamWellUnderAMinute() {
    assertThat(timeouts.connectMs()).isEqualTo(5_000L);
    assertThat(timeouts.firstByteMs()).isEqualTo(30_000L);
    assertThat(timeouts.idleMs()).isEqualTo(30_000L);
    assertThat(timeouts.totalMs()).isEqualTo(600_000L);
    assertThat(routing.deadlineMs()).isEqualTo(45_000L);
    // Every attempt of a request together, however many retries: the deadline bounds them.
    assertThat(routing.deadlineMs()).isLessThan(60_000L);
    assertThat(timeouts.firstByteMs()).isLessThan(routing.deadlineMs());
  }

  @Test
  void theDocumentationStatesTheDefaults() throws Exception {
    String configuration = Files.readString(Path.of("docs/configuration.md"));
    assertThat(configuration)
        .contains(
            "`{connectMs, firstByteMs, idleMs, totalMs}`; defaults "
                + timeouts.connectMs()
                + ", "
                + timeouts.firstByteMs()
                + ", "
                + timeouts.idleMs()
                + ", "
                + timeouts.totalMs())
        .contains("| `deadlineMs` | " + routing.deadlineMs() + " |");
    String operations = Files.readString(Path.of("docs/operations.md"));
    assertThat(operations)
        .contains("## Timeouts")
        .contains("`routing.deadlineMs` | " + routing.deadlineMs())
        .contains("`timeouts.idleMs` | " + timeouts.idleMs())
        .contains("`timeouts.firstByteMs` | " + timeouts.firstByteMs());
  }
}
