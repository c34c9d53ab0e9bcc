package dev.conduit.provider.bedrock;

import dev.conduit.config.ProviderConfig;
import java.util.Set;

/**
 * The keys only {@code type: bedrock} takes: static AWS credentials, else the standard {@code
 * AWS_*} environment variables are read.
 *
 * @param accessKeyId AWS access key id
 * @param secretAccessKey AWS secret access key (a secret)
 * @param sessionToken the session token of temporary credentials (a secret)
 */
record BedrockSettings(String accessKeyId, String secretAccessKey, String sessionToken) {
  static final Set<String> KEYS = Set.of("accessKeyId", "secretAccessKey", "sessionToken");
  static final Set<String> SECRET_KEYS = Set.of("secretAccessKey", "sessionToken");

  static BedrockSettings of(ProviderConfig config) {
    return new BedrockSettings(
        config.setting("accessKeyId"),
        config.setting("secretAccessKey"),
        config.setting("sessionToken"));
  }

  @Override
  public String toString() {
    return "BedrockSettings[accessKeyId=" + accessKeyId + "]";
  }
}
