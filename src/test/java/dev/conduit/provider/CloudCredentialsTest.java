package dev.conduit.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.config.ConduitConfig;
import dev.conduit.config.ConfigException;
import dev.conduit.config.ConfigLoader;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code googlecloud} and {@code bedrock} credential settings: bound from YAML, taken from the
 * standard environment variables when the configuration gives none, and, when missing, a provider
 * that is kept but unavailable rather than a gateway that does not start.
 */
class CloudCredentialsTest {
  private static final String YAML =
      """
      providers:
        - name: vertex
          type: googlecloud
          project: ${GOOGLE_CLOUD_PROJECT}
          region: us-central1
          serviceAccountFile: ${VERTEX_KEY_FILE}
        - name: gemini
          type: googlecloud
          apiKey: ${GEMINI_API_KEY}
        - name: bedrock
          type: bedrock
          region: eu-west-1
        - name: bedrock-keys
          type: bedrock
          region: us-east-1
          accessKeyId: ${BEDROCK_KEY_ID}
          secretAccessKey: ${BEDROCK_SECRET}
          sessionToken: ${BEDROCK_TOKEN:-}
      """;

  @Test
  void unsetCredentialVariablesLeaveTheProviderUnavailable() {
    ProviderRegistry registry = build(YAML, Map.of(), Map.of());

    assertThat(reason(registry, "vertex"))
        .isEqualTo("environment variable GOOGLE_CLOUD_PROJECT, VERTEX_KEY_FILE is not set");
    assertThat(reason(registry, "gemini"))
        .isEqualTo("environment variable GEMINI_API_KEY is not set");
    assertThat(reason(registry, "bedrock"))
        .contains("no AWS credentials")
        .contains("AWS_ACCESS_KEY_ID");
    assertThat(reason(registry, "bedrock-keys"))
        .isEqualTo("environment variable BEDROCK_KEY_ID, BEDROCK_SECRET is not set");
  }

  @Test
  void awsCredentialsComeFromTheStandardVariables() {
    ProviderRegistry registry =
        build(
            YAML,
            Map.of(),
            Map.of("AWS_ACCESS_KEY_ID", "AKIAENV", "AWS_SECRET_ACCESS_KEY", "env-secret"));

    assertThat(registry.find("bedrock").orElseThrow().isAvailable()).isTrue();
  }

  @Test
  void bedrockNeedsARegionFromConfigurationOrEnvironment() {
    String yaml =
        """
        providers:
          - name: bedrock
            type: bedrock
            accessKeyId: AKIACONF
            secretAccessKey: conf-secret
        """;
    assertThat(reason(build(yaml, Map.of(), Map.of()), "bedrock"))
        .contains("no AWS region")
        .contains("AWS_REGION");
    assertThat(
            build(yaml, Map.of(), Map.of("AWS_REGION", "us-west-2"))
                .find("bedrock")
                .orElseThrow()
                .isAvailable())
        .isTrue();
  }

  @Test
  void setVariablesAreBound() {
    ConduitConfig config =
        new ConfigLoader(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT",
                    "my-project",
                    "VERTEX_KEY_FILE",
                    "/keys/vertex.json",
                    "BEDROCK_KEY_ID",
                    "AKIAX",
                    "BEDROCK_SECRET",
                    "secret"),
                ProviderRegistry.configTypes())
            .parse(YAML, "test.yaml");

    assertThat(config.providers().get(0).setting("project")).isEqualTo("my-project");
    assertThat(config.providers().get(0).setting("serviceAccountFile"))
        .isEqualTo("/keys/vertex.json");
    assertThat(config.providers().get(3).setting("accessKeyId")).isEqualTo("AKIAX");
    assertThat(config.providers().get(3).setting("secretAccessKey")).isEqualTo("secret");
    assertThat(config.providers().get(3).setting("sessionToken")).isNull();
    assertThat(config.providers().get(3).toString()).doesNotContain("secret");
  }

  @Test
  void aMisspelledKeyNamesTheKnownOnes() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of(), ProviderRegistry.configTypes())
                    .parse(
                        """
        providers:
          - name: bedrock
            type: bedrock
            secretKey: x
        """,
                        "test.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("providers[0].secretKey")
        .hasMessageContaining("secretAccessKey")
        // only the keys of the provider's own type are offered
        .message()
        .doesNotContain("serviceAccountFile");
  }

  @Test
  void theExampleConfigurationStartsWithoutCloudCredentials() throws Exception {
    ConduitConfig config =
        new ConfigLoader(Map.of(), ProviderRegistry.configTypes())
            .load(java.nio.file.Path.of("conduit.example.yaml"));
    ProviderRegistry registry =
        ProviderRegistry.build(
            config.providers(), new ProviderServices(null, Clock.systemUTC(), Map.of(), null));

    assertThat(reason(registry, "gemini")).contains("GEMINI_API_KEY");
    assertThat(reason(registry, "vertex"))
        .contains("GOOGLE_CLOUD_PROJECT")
        .contains("GOOGLE_APPLICATION_CREDENTIALS");
    assertThat(reason(registry, "bedrock")).contains("no AWS credentials");
    assertThat(registry.find("simulated").orElseThrow().isAvailable()).isTrue();
  }

  private static ProviderRegistry build(
      String yaml, Map<String, String> configEnv, Map<String, String> runtimeEnv) {
    ConduitConfig config =
        new ConfigLoader(configEnv, ProviderRegistry.configTypes()).parse(yaml, "test.yaml");
    return ProviderRegistry.build(
        config.providers(), new ProviderServices(null, Clock.systemUTC(), runtimeEnv, null));
  }

  private static String reason(ProviderRegistry registry, String name) {
    return registry.find(name).orElseThrow().unavailableReason().orElse(null);
  }
}
