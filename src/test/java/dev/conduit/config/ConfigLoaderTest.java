package dev.conduit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.provider.ProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String ISSUE_EXAMPLE =
      """
      server: { port: 8080, adminPort: 8081 }
      database: { url: "jdbc:sqlite:./data/conduit.db" }
      providers:
        - name: openai
          type: openai
          baseUrl: https://api.openai.com/v1
          apiKey: ${OPENAI_API_KEY}
          timeouts: { connectMs: 5000, firstByteMs: 60000, totalMs: 600000 }
      models:
        - alias: gpt-4o
          deployments:
            - { provider: openai, model: gpt-4o }
      """;

  private static ConduitConfig parse(String yaml, Map<String, String> env) {
    return new ConfigLoader(env, ProviderRegistry.configTypes()).parse(yaml, "conduit.yaml");
  }

  @Test
  void theShapeFromTheIssueLoads() {
    ConduitConfig config = parse(ISSUE_EXAMPLE, Map.of("OPENAI_API_KEY", "sk-from-env"));

    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.server().adminPort()).isEqualTo(8081);
    assertThat(config.database().isSqlite()).isTrue();
    ProviderConfig openai = config.providers().get(0);
    assertThat(openai.apiKey()).isEqualTo("sk-from-env");
    assertThat(openai.timeouts()).isEqualTo(new TimeoutsConfig(5000L, 60000L, null, 600000L));
    assertThat(config.models().get(0).deployments().get(0).model()).isEqualTo("gpt-4o");
  }

  @Test
  void theShippedExampleConfigLoads(@TempDir Path unused) throws Exception {
    ConduitConfig config =
        new ConfigLoader(Map.of(), ProviderRegistry.configTypes())
            .load(Path.of("conduit.example.yaml"));

    assertThat(config.models()).extracting(ModelConfig::alias).contains("demo", "gpt-4o");
  }

  @Test
  void anUnknownKeyIsAnErrorNamingTheFileTheKeyAndTheKnownKeys() {
    String typo = ISSUE_EXAMPLE.replace("firstByteMs", "firstByteMillis");

    assertThatThrownBy(() -> parse(typo, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("conduit.yaml")
        .hasMessageContaining("providers[0].timeouts.firstByteMillis")
        .hasMessageContaining("unknown key")
        .hasMessageContaining("firstByteMs");
  }

  @Test
  void aWrongTypeNamesTheKeyAndWhatWasExpected() {
    assertThatThrownBy(() -> parse("server: { port: eighty }", Map.of()))
        .hasMessageContaining("server.port")
        .hasMessageContaining("whole number");
  }

  @Test
  void requestLogBatchingIsConfigurableAndChecked() {
    ConduitConfig defaults = parse(ISSUE_EXAMPLE, Map.of());
    assertThat(defaults.requestLog().lingerMs()).isEqualTo(25);
    assertThat(defaults.requestLog().batchSize()).isEqualTo(1_000);

    ConduitConfig immediate = parse(ISSUE_EXAMPLE + "requestLog: { lingerMs: 0 }\n", Map.of());
    assertThat(immediate.requestLog().lingerMs()).isZero();

    assertThatThrownBy(() -> parse(ISSUE_EXAMPLE + "requestLog: { lingerMs: -1 }\n", Map.of()))
        .hasMessageContaining("requestLog.lingerMs");
  }

  @Test
  void requestLogWritersDefaultToOneOnSqliteAndTwoOnPostgres() {
    ConduitConfig sqlite = parse(ISSUE_EXAMPLE, Map.of());
    assertThat(sqlite.requestLog().writersFor(sqlite.database())).isEqualTo(1);

    String postgres =
        ISSUE_EXAMPLE.replace("jdbc:sqlite:./data/conduit.db", "jdbc:postgresql://db:5432/c");
    ConduitConfig onPostgres = parse(postgres, Map.of());
    assertThat(onPostgres.requestLog().writersFor(onPostgres.database())).isEqualTo(2);
    ConduitConfig smallPool =
        parse(
            ISSUE_EXAMPLE.replace(
                "url: \"jdbc:sqlite:./data/conduit.db\"",
                "url: \"jdbc:postgresql://db/c\", poolSize: 2"),
            Map.of());
    assertThat(smallPool.requestLog().writersFor(smallPool.database()))
        .as("one connection left for everything else")
        .isEqualTo(1);
    ConduitConfig four = parse(postgres + "requestLog: { writers: 4 }\n", Map.of());
    assertThat(four.requestLog().writersFor(four.database())).isEqualTo(4);

    assertThatThrownBy(() -> parse(ISSUE_EXAMPLE + "requestLog: { writers: 2 }\n", Map.of()))
        .hasMessageContaining("requestLog.writers")
        .hasMessageContaining("SQLite");
    assertThatThrownBy(() -> parse(postgres + "requestLog: { writers: 0 }\n", Map.of()))
        .hasMessageContaining("requestLog.writers");
    assertThatThrownBy(() -> parse(postgres + "requestLog: { writers: 10 }\n", Map.of()))
        .hasMessageContaining("requestLog.writers")
        .hasMessageContaining("database.poolSize (10)");
  }

  @Test
  void namesAreAtMost128Characters() {
    String longName = "p".repeat(129);
    assertThatThrownBy(
            () ->
                parse(
                    ISSUE_EXAMPLE
                        .replace("- name: openai", "- name: " + longName)
                        .replace("provider: openai,", "provider: " + longName + ","),
                    Map.of()))
        .hasMessageContaining("providers[0].name");
    assertThatThrownBy(
            () -> parse(ISSUE_EXAMPLE.replace("- alias: gpt-4o", "- alias: " + longName), Map.of()))
        .hasMessageContaining("models[0].alias");
  }

  @Test
  void crossReferencesAreChecked() {
    String badProvider =
        ISSUE_EXAMPLE.replace(
            "{ provider: openai, model: gpt-4o }", "{ provider: opneai, model: gpt-4o }");
    assertThatThrownBy(() -> parse(badProvider, Map.of()))
        .hasMessageContaining("models[0].deployments[0].provider")
        .hasMessageContaining("opneai");

    assertThatThrownBy(() -> parse(ISSUE_EXAMPLE.replace("type: openai", "type: openia"), Map.of()))
        .hasMessageContaining("providers[0].type")
        .hasMessageContaining("openia");

    assertThatThrownBy(
            () ->
                parse(
                    ISSUE_EXAMPLE.replace("https://api.openai.com/v1", "ftp://example.com"),
                    Map.of()))
        .hasMessageContaining("providers[0].baseUrl");

    assertThatThrownBy(
            () ->
                parse(
                    ISSUE_EXAMPLE.replace("jdbc:sqlite:./data/conduit.db", "jdbc:mysql://x/y"),
                    Map.of()))
        .hasMessageContaining("database.url");
  }

  @Test
  void duplicateKeysAndDuplicateNamesAreErrors() {
    String portTwice =
        """
        server:
          port: 1
          port: 2
        """;
    assertThatThrownBy(() -> parse(portTwice, Map.of())).hasMessageContaining("port");
    String twice =
        ISSUE_EXAMPLE
            + """
              - alias: gpt-4o
                deployments:
                  - { provider: openai, model: x }
            """;
    assertThatThrownBy(() -> parse(twice, Map.of()))
        .hasMessageContaining("models[1].alias")
        .hasMessageContaining("duplicate");
  }

  @Test
  void anUnsetProviderKeyVariableIsKeptSoTheProviderCanReportIt() {
    ConduitConfig config = parse(ISSUE_EXAMPLE, Map.of());

    assertThat(EnvReferences.unresolvedVariable(config.providers().get(0).apiKey()))
        .hasValue("OPENAI_API_KEY");
  }

  @Test
  void anUnsetVariableAnywhereElseFailsNamingIt() {
    String yaml = ISSUE_EXAMPLE.replace("jdbc:sqlite:./data/conduit.db", "${DB_URL}");

    assertThatThrownBy(() -> parse(yaml, Map.of()))
        .hasMessageContaining("database.url")
        .hasMessageContaining("DB_URL");
  }

  @Test
  void variablesMayHaveDefaults() {
    String yaml =
        ISSUE_EXAMPLE.replace(
            "jdbc:sqlite:./data/conduit.db", "${DB_URL:-jdbc:sqlite:./elsewhere.db}");

    assertThat(parse(yaml, Map.of()).database().url()).isEqualTo("jdbc:sqlite:./elsewhere.db");
    assertThat(parse(yaml, Map.of("DB_URL", "jdbc:postgresql://h/db")).database().url())
        .isEqualTo("jdbc:postgresql://h/db");
  }

  @Test
  void environmentOverridesWin() {
    ConduitConfig config =
        parse(
            ISSUE_EXAMPLE,
            Map.of(
                "CONDUIT_PORT", "9090",
                "CONDUIT_ADMIN_PORT", "9091",
                "CONDUIT_MASTER_KEY", "master-secret",
                "CONDUIT_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/conduit",
                "CONDUIT_REDIS_URL", "redis://127.0.0.1:6379"));

    assertThat(config.server().port()).isEqualTo(9090);
    assertThat(config.server().adminPort()).isEqualTo(9091);
    assertThat(config.server().masterKey()).isEqualTo("master-secret");
    assertThat(config.database().isPostgres()).isTrue();
    assertThat(config.redis().url()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(config.server().toString()).doesNotContain("master-secret");
  }

  @Test
  void aBadOverrideNamesTheVariable() {
    assertThatThrownBy(() -> parse(ISSUE_EXAMPLE, Map.of("CONDUIT_PORT", "http")))
        .hasMessageContaining("CONDUIT_PORT");
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of(), ProviderRegistry.configTypes())
                    .load(dir.resolve("nope.yaml")))
        .hasMessageContaining("nope.yaml")
        .hasMessageContaining("not found");
  }

  @Test
  void invalidYamlIsReportedWithItsLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "server:\n  port: [1,\n");

    assertThatThrownBy(() -> new ConfigLoader(Map.of(), ProviderRegistry.configTypes()).load(file))
        .hasMessageContaining("broken.yaml")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void anEmptyFileMeansDefaults() {
    ConduitConfig config = parse("", Map.of());

    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.database().url()).isEqualTo(DatabaseConfig.DEFAULT_URL);
    assertThat(config.providers()).isEmpty();
  }

  @Test
  void listenerLimitsHaveDefaultsForAPublicEndpointAndAreChecked() {
    ServerConfig defaults = parse("", Map.of()).server();
    assertThat(defaults.headersTimeoutMs()).isEqualTo(10_000);
    assertThat(defaults.bodyTimeoutMs()).isEqualTo(60_000);
    assertThat(defaults.keepAliveTimeoutMs()).isEqualTo(75_000);
    assertThat(defaults.maxConnections()).isEqualTo(20_000);
    assertThat(defaults.adminMaxConnections()).isEqualTo(100);
    assertThat(defaults.metricsOnClientPort()).isTrue();
    assertThat(defaults.http2ClearText()).isFalse();

    ServerConfig set =
        parse(
                "server: { headersTimeoutMs: 1, bodyTimeoutMs: 2, keepAliveTimeoutMs: 3,"
                    + " maxConnections: 4, adminMaxConnections: 5, metricsOnClientPort: false }",
                Map.of())
            .server();
    assertThat(
            List.of(
                set.headersTimeoutMs(),
                set.bodyTimeoutMs(),
                set.keepAliveTimeoutMs(),
                (long) set.maxConnections(),
                (long) set.adminMaxConnections()))
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(set.metricsOnClientPort()).isFalse();
    // Overriding the ports keeps the rest.
    assertThat(set.withPorts(1, 2).maxConnections()).isEqualTo(4);

    for (String key :
        List.of(
            "headersTimeoutMs",
            "bodyTimeoutMs",
            "keepAliveTimeoutMs",
            "maxConnections",
            "adminMaxConnections")) {
      assertThatThrownBy(() -> parse("server: { " + key + ": 0 }", Map.of()))
          .hasMessageContaining("server." + key);
    }
  }
}
