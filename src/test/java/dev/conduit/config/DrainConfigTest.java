package dev.conduit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.provider.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code drain} block (with {@code server.shutdownGraceMs} read as the older name of its
 * timeout) and {@code server.maxBodyBytesInFlight}: defaults, the documented numbers, refusals.
 */
class DrainConfigTest {
  private static ConduitConfig parse(String yaml) {
    return new ConfigLoader(Map.of(), ProviderRegistry.configTypes()).parse(yaml, "conduit.yaml");
  }

  @Test
  void withoutADrainBlockTheDefaultsApplyAndTheyAreTheDocumentedOnes() throws Exception {
    DrainConfig drain = parse("server: { port: 8080 }\n").drain();

    assertThat(drain.delayMs()).isEqualTo(5_000L);
    assertThat(drain.timeoutMs()).isEqualTo(20_000L);
    String docs = Files.readString(Path.of("docs/configuration.md"));
    assertThat(docs)
        .contains("| `delayMs` | " + drain.delayMs() + " |")
        .contains("| `timeoutMs` | " + drain.timeoutMs() + " |");
  }

  @Test
  void theDrainBlockSetsBoth() {
    DrainConfig drain = parse("drain: { delayMs: 0, timeoutMs: 1500 }\n").drain();

    assertThat(drain).isEqualTo(new DrainConfig(0L, 1_500L));
  }

  @Test
  void shutdownGraceMsStillSetsTheTimeoutWhenThereIsNoDrainBlock() {
    assertThat(parse("server: { shutdownGraceMs: 45000 }\n").drain())
        .isEqualTo(new DrainConfig(5_000L, 45_000L));
  }

  @Test
  void bothNamesAtOnceAreRefused() {
    assertThatThrownBy(
            () -> parse("server: { shutdownGraceMs: 45000 }\ndrain: { timeoutMs: 20000 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.shutdownGraceMs")
        .hasMessageContaining("drain.timeoutMs");
  }

  @Test
  void aNegativeDelayOrANonPositiveTimeoutIsRefused() {
    assertThatThrownBy(() -> parse("drain: { delayMs: -1 }\n"))
        .hasMessageContaining("drain.delayMs");
    assertThatThrownBy(() -> parse("drain: { timeoutMs: 0 }\n"))
        .hasMessageContaining("drain.timeoutMs");
  }

  @Test
  void bodyBytesInFlightDefaultToAnEighthOfTheHeapAndNeverBelowOneBody() {
    ServerConfig server = parse("server: { maxBodyBytes: 1000 }\n").server();
    assertThat(server.maxBodyBytesInFlight())
        .isEqualTo(Math.max(Runtime.getRuntime().maxMemory() / 8, 1000));

    assertThatThrownBy(
            () -> parse("server: { maxBodyBytes: 1000000, maxBodyBytesInFlight: 999999 }\n"))
        .hasMessageContaining("server.maxBodyBytesInFlight");
  }
}
