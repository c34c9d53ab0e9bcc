package dev.conduit.store;

import dev.conduit.config.EncryptionConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets stored in the database (provider API keys) with AES-256-GCM. The key comes from
 * {@code CONDUIT_ENCRYPTION_KEY} (base64 of 32 bytes, or a passphrase hashed with SHA-256), else
 * from a key file, generated on first use. Every instance sharing a database needs the same key.
 * Blocking on first use (file I/O): call from a worker thread.
 */
public final class SecretBox {
  private static final String PREFIX = "v1:";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EncryptionConfig config;
  private volatile SecretKeySpec key;

  public SecretBox(EncryptionConfig config) {
    this.config = config;
  }

  public String encrypt(String plaintext) {
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, iv));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + sealed.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(sealed, 0, out, iv.length, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Encryption failed", e);
    }
  }

  /**
   * @throws IllegalStateException when the value was sealed with another key or is corrupt
   */
  public String decrypt(String sealed) {
    if (!sealed.startsWith(PREFIX)) {
      throw new IllegalStateException("Not an encrypted value");
    }
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
      return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "Cannot decrypt a stored secret: the encryption key "
              + "differs from the one it was stored with (CONDUIT_ENCRYPTION_KEY or "
              + config.keyFile()
              + ")");
    }
  }

  private SecretKeySpec key() {
    SecretKeySpec current = key;
    if (current == null) {
      synchronized (this) {
        if (key == null) {
          key = new SecretKeySpec(keyBytes(), "AES");
        }
        current = key;
      }
    }
    return current;
  }

  private byte[] keyBytes() {
    if (config.key() != null && !config.key().isBlank()) {
      return fromText(config.key().trim());
    }
    Path file = Path.of(config.keyFile());
    try {
      if (!Files.exists(file)) {
        generate(file);
      }
      return fromText(Files.readString(file).trim());
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot read or create the encryption key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void generate(Path file) throws IOException {
    byte[] fresh = new byte[32];
    RANDOM.nextBytes(fresh);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.writeString(
          file,
          Base64.getEncoder().encodeToString(fresh) + "\n",
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // Not a POSIX file system.
      }
    } catch (FileAlreadyExistsException raced) {
      // Another process created it first: use theirs.
    }
  }

  /** Base64 of exactly 32 bytes is used as is; anything else is a passphrase. */
  private static byte[] fromText(String text) {
    try {
      byte[] decoded = Base64.getDecoder().decode(text);
      if (decoded.length == 32) {
        return decoded;
      }
    } catch (IllegalArgumentException notBase64) {
      // A passphrase.
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "SecretBox[***]";
  }
}
