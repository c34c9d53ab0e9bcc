package dev.conduit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conduit.provider.ProviderRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider settings added with the provider types: regions, API versions, limits. */
class ProviderSettingsValidationTest {
  private static ConduitConfig load(String yaml) {
    return new ConfigLoader(Map.of(), ProviderRegistry.configTypes()).parse(yaml, "test.yaml");
  }

  @Test
  void providerTypesSettingsAreBound() {
    ConduitConfig config =
        load(
            """
        providers:
          - name: az
            type: azure
            baseUrl: https://contoso.openai.azure.com
            apiKey: k
            apiVersion: v1
            region: eastus
            regionalEndpoints:
              eastus: https://contoso-eastus.openai.azure.com
          - name: claude
            type: anthropic
            apiKey: k
            defaultMaxTokens: 8192
        models:
          - alias: a
            deployments: [{ provider: az, model: gpt4o, region: eastus }]
        """);
    assertThat(config.providers().get(0).apiVersion()).isEqualTo("v1");
    assertThat(config.providers().get(0).regionalEndpoints())
        .containsEntry("eastus", "https://contoso-eastus.openai.azure.com");
    assertThat(config.providers().get(1).defaultMaxTokens()).isEqualTo(8192);
    assertThat(config.models().get(0).deployments().get(0).region()).isEqualTo("eastus");
  }

  @Test
  void aKeyOfAnotherProviderTypeIsRefusedNamingFileAndKey() {
    assertThatThrownBy(
            () ->
                load(
                    """
        providers:
          - name: p
            type: openai
            apiKey: k
            accessKeyId: AKIAX
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("test.yaml: providers[0].accessKeyId: unknown key for provider type")
        .hasMessageContaining("known keys here: apiKey");
  }

  @Test
  void eachTypeParsesItsOwnKeys() {
    ConduitConfig config =
        load(
            """
        providers:
          - name: aws
            type: bedrock
            region: us-east-1
            accessKeyId: AKIAX
            secretAccessKey: s3cret
        """);
    ProviderConfig aws = config.providers().get(0);
    assertThat(aws.settings()).containsOnlyKeys("accessKeyId", "secretAccessKey");
    assertThat(ProviderRegistry.build(config.providers()).find("aws").orElseThrow().isAvailable())
        .isTrue();
    assertThat(aws.toString()).doesNotContain("s3cret");
  }

  @Test
  void regionalEndpointsMustBeHttpUrls() {
    assertThatThrownBy(
            () ->
                load(
                    """
        providers:
          - name: p
            type: openai
            apiKey: k
            regionalEndpoints: { eu: "ftp://eu.example.com" }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("providers[0].regionalEndpoints.eu");
  }

  @Test
  void anAzureProviderWithoutItsResourceUrlIsKeptButUnavailableSayingWhy() {
    ConduitConfig config =
        load(
            """
        providers:
          - name: az
            type: azure
            apiKey: k
        """);
    ProviderRegistry providers = ProviderRegistry.build(config.providers());

    assertThat(providers.find("az").orElseThrow().unavailableReason())
        .hasValueSatisfying(reason -> assertThat(reason).contains("type azure needs baseUrl"));
  }

  @Test
  void theExampleProvidersBuildWithNoKeysSetAndOnlyThoseWithoutKeysServe() {
    ConduitConfig config =
        new ConfigLoader(Map.of(), ProviderRegistry.configTypes())
            .load(java.nio.file.Path.of("conduit.example.yaml"));
    ProviderRegistry providers = ProviderRegistry.build(config.providers());

    assertThat(providers.find("anthropic").orElseThrow().unavailableReason())
        .hasValueSatisfying(reason -> assertThat(reason).contains("ANTHROPIC_API_KEY"));
    assertThat(providers.find("azure").orElseThrow().isAvailable()).isFalse();
    assertThat(providers.find("mistral").orElseThrow().isAvailable()).isFalse();
    assertThat(providers.find("ollama").orElseThrow().isAvailable()).isTrue();
    assertThat(providers.find("simulated").orElseThrow().isAvailable()).isTrue();
  }

  @Test
  void defaultMaxTokensMustBePositive() {
    assertThatThrownBy(
            () ->
                load(
                    """
        providers:
          - name: claude
            type: anthropic
            apiKey: k
            defaultMaxTokens: 0
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("providers[0].defaultMaxTokens");
  }
}
