package dev.conduit.provider.azure;

import dev.conduit.config.ConfigException;
import dev.conduit.provider.ProviderAdapter;
import dev.conduit.provider.ProviderSetup;
import dev.conduit.provider.ProviderType;

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
  public ProviderAdapter create(ProviderSetup setup) {
    if (setup.config().baseUrl() == null && setup.config().regionalEndpoints().isEmpty()) {
      throw new ConfigException("provider '" + setup.name() + "' (type azure) needs baseUrl, "
          + "its resource endpoint such as https://NAME.openai.azure.com (or regionalEndpoints)");
    }
    String apiVersion = setup.config().apiVersion() == null
        ? AzureAdapter.DEFAULT_API_VERSION
        : setup.config().apiVersion();
    return new AzureAdapter(setup.name(), setup.baseUrl(), setup.keys(), apiVersion);
  }
}
