package dev.conduit.admin;

import dev.conduit.keys.KeyMaterial;
import dev.conduit.store.SettingsRepository;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The admin API's master key. Only its SHA-256 is held; presented keys are compared in constant
 * time. Taken from {@code CONDUIT_MASTER_KEY}; when that is unset on the first start, one is
 * generated, its hash stored, and the key printed once to the console (never to the log).
 */
public final class MasterKey {
  static final String SETTING = "admin_master_key_sha256";
  private static final String PREFIX = "condt_admin_";

  private final byte[] hash;

  private MasterKey(byte[] hash) {
    this.hash = hash;
  }

  public static MasterKey of(String key) {
    return new MasterKey(KeyMaterial.sha256(key));
  }

  /** The configured key, else the stored one, else a new one printed to {@code console}. */
  public static MasterKey resolve(
      String configured, SettingsRepository settings, PrintStream console) throws SQLException {
    if (configured != null && !configured.isEmpty()) {
      return of(configured);
    }
    Optional<String> stored = settings.find(SETTING);
    if (stored.isPresent()) {
      return new MasterKey(HexFormat.of().parseHex(stored.get()));
    }
    String generated = PREFIX + KeyMaterial.randomToken(32);
    if (settings.insertIfAbsent(SETTING, KeyMaterial.sha256Hex(generated))) {
      console.println();
      console.println("=".repeat(78));
      console.println(" Conduit generated an admin master key. It is shown only this once:");
      console.println();
      console.println("   " + generated);
      console.println();
      console.println(" Keep it safe: only its hash is stored. Use it in the X-Master-Key header.");
      console.println(" To choose your own instead, set CONDUIT_MASTER_KEY.");
      console.println("=".repeat(78));
      console.println();
      console.flush();
      return of(generated);
    }
    // Another instance generated one at the same moment: use theirs.
    return new MasterKey(HexFormat.of().parseHex(settings.find(SETTING).orElseThrow()));
  }

  /** Constant-time comparison of a presented key with this one. */
  public boolean matches(String presented) {
    return presented != null && KeyMaterial.matchesHash(presented, hash);
  }

  @Override
  public String toString() {
    return "MasterKey[***]";
  }
}
