package dev.conduit.config;

/**
 * How provider API keys stored through the admin API are encrypted at rest.
 *
 * @param key the encryption key (normally from {@code CONDUIT_ENCRYPTION_KEY}): base64 of 32 bytes,
 *     or any passphrase (hashed to 32 bytes); never logged
 * @param keyFile used when {@code key} is unset: read, or generated on first use
 */
public record EncryptionConfig(String key, String keyFile) {

  public static final String DEFAULT_KEY_FILE = "./data/conduit-encryption.key";

  public EncryptionConfig {
    keyFile = keyFile == null || keyFile.isBlank() ? DEFAULT_KEY_FILE : keyFile;
  }

  public static EncryptionConfig defaults() {
    return new EncryptionConfig(null, null);
  }

  public EncryptionConfig withKey(String newKey) {
    return new EncryptionConfig(newKey, keyFile);
  }

  @Override
  public String toString() {
    return "EncryptionConfig[key=" + (key == null ? "unset" : "***") + ", keyFile=" + keyFile + "]";
  }
}
