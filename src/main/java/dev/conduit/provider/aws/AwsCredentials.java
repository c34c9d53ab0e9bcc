package dev.conduit.provider.aws;

import java.util.Map;
import java.util.Optional;

/**
 * AWS credentials for request signing: an access key pair, plus a session token for temporary
 * credentials (STS, SSO, assumed roles). Never printed.
 *
 * @param accessKeyId the access key id
 * @param secretAccessKey the secret access key
 * @param sessionToken the session token; null for long-term keys
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {

  /**
   * The credentials from configuration when it gives a key pair, else from the standard environment
   * variables ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
   * AWS_SESSION_TOKEN}); empty when neither has a complete pair.
   */
  public static Optional<AwsCredentials> resolve(
      String accessKeyId, String secretAccessKey, String sessionToken, Map<String, String> env) {
    if (isSet(accessKeyId) && isSet(secretAccessKey)) {
      return Optional.of(
          new AwsCredentials(
              accessKeyId, secretAccessKey, isSet(sessionToken) ? sessionToken : null));
    }
    String envKey = env.get("AWS_ACCESS_KEY_ID");
    String envSecret = env.get("AWS_SECRET_ACCESS_KEY");
    if (isSet(envKey) && isSet(envSecret)) {
      String token = env.get("AWS_SESSION_TOKEN");
      return Optional.of(new AwsCredentials(envKey, envSecret, isSet(token) ? token : null));
    }
    return Optional.empty();
  }

  /** The region from {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}. */
  public static Optional<String> regionFrom(Map<String, String> env) {
    String region = env.get("AWS_REGION");
    if (!isSet(region)) {
      region = env.get("AWS_DEFAULT_REGION");
    }
    return isSet(region) ? Optional.of(region) : Optional.empty();
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  @Override
  public String toString() {
    return "AwsCredentials[" + accessKeyId.substring(0, Math.min(4, accessKeyId.length())) + "...]";
  }
}
