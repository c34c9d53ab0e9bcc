package dev.conduit.provider.bedrock;

import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderSetup;
import dev.conduit.provider.ProviderType;
import dev.conduit.provider.aws.AwsCredentials;
import java.util.Optional;
import java.util.Set;

/**
 * {@code type: bedrock}: AWS Bedrock's Converse API. {@code region} (else {@code AWS_REGION} or
 * {@code AWS_DEFAULT_REGION}) picks the endpoint; credentials come from {@code accessKeyId}, {@code
 * secretAccessKey} and {@code sessionToken}, else from the standard {@code AWS_*} environment
 * variables; an {@code apiKey} (a Bedrock API key) replaces SigV4 signing with a bearer token. A
 * deployment's {@code model} is the Bedrock model id, inference profile or ARN.
 */
public final class BedrockProviderType implements ProviderType {
  @Override
  public String name() {
    return "bedrock";
  }

  @Override
  public Set<String> settingKeys() {
    return BedrockSettings.KEYS;
  }

  @Override
  public Set<String> secretSettingKeys() {
    return BedrockSettings.SECRET_KEYS;
  }

  @Override
  public boolean requiresApiKey() {
    return false;
  }

  @Override
  public ProviderAdapter create(ProviderSetup setup) {
    return new BedrockAdapter(
        setup.name(),
        setup.baseUrl(),
        setup.keys(),
        credentials(setup).orElse(null),
        setup.config().region(),
        AwsCredentials.regionFrom(setup.services().env()).orElse(null),
        setup.services().clock());
  }

  @Override
  public Optional<String> missingCredentials(ProviderSetup setup) {
    if (setup.keys().isEmpty() && credentials(setup).isEmpty()) {
      return Optional.of(
          "no AWS credentials (set accessKeyId and secretAccessKey, or the "
              + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables)");
    }
    boolean hasRegion =
        setup.config().region() != null
            || !setup.config().regionalEndpoints().isEmpty()
            || AwsCredentials.regionFrom(setup.services().env()).isPresent();
    if (!hasRegion) {
      return Optional.of("no AWS region (set region, or the AWS_REGION environment variable)");
    }
    return Optional.empty();
  }

  private static Optional<AwsCredentials> credentials(ProviderSetup setup) {
    BedrockSettings settings = BedrockSettings.of(setup.config());
    return AwsCredentials.resolve(
        settings.accessKeyId(),
        settings.secretAccessKey(),
        settings.sessionToken(),
        setup.services().env());
  }
}
