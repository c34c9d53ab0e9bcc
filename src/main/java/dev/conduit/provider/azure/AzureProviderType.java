package dev.conduit.provider.azure;

import dev.conduit.config.ProviderConfig;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderSetup;
import dev.conduit.provider.ProviderType;
import java.util.Optional;

/**
 * {@code type: azure}: Azure OpenAI. {@code baseUrl} is the resource endpoint ({@code
 * https://NAME.openai.azure.com}) or regional URLs are given instead; a deployment's {@code model}
 * is the Azure deployment name; {@code apiVersion} picks the API version ({@value
 * AzureAdapter#DEFAULT_API_VERSION} by default, or {@code v1} for the version-less v1 API).
 */
public final class AzureProviderType implements ProviderType {
  @Override
  public String name() {
    return "azure";
  }

  @Override
  public boolean requiresApiKey() {
    return true;
  }

  @Override
  public Optional<String> configProblem(ProviderConfig config) {
    if (config.baseUrl() == null && config.regionalEndpoints().isEmpty()) {
      return Optional.of(
          "type azure needs baseUrl, the resource endpoint such as "
              + "https://NAME.openai.azure.com (or regionalEndpoints)");
    }
    return Optional.empty();
  }

  @Override
  public ProviderAdapter create(ProviderSetup setup) {
    String apiVersion =
        setup.config().apiVersion() == null
            ? AzureAdapter.DEFAULT_API_VERSION
            : setup.config().apiVersion();
    return new AzureAdapter(setup.name(), setup.baseUrl(), setup.keys(), apiVersion);
  }
}
