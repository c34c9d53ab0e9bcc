package dev.conduit.store;

import java.sql.SQLException;

/**
 * Keeps an in-memory copy of a small table current, on this instance at once and after other
 * instances' changes by polling: {@link #reload} reads the table's signature (row count and newest
 * change stamp, see {@code TableSignature}) and then the rows; {@link #refreshIfChanged} reloads
 * only when the signature moved since. The signature is read before the rows, so a change made
 * while they are read is picked up by the next refresh. Blocking: call from a worker thread.
 */
public final class TableWatch {
  /** Reads the table's signature (a repository's {@code signature()}). */
  @FunctionalInterface
  public interface Signature {
    String read() throws SQLException;
  }

  /** Reads every row into memory, replacing what was there. */
  @FunctionalInterface
  public interface Loader {
    void load() throws SQLException;
  }

  private final Signature signature;
  private final Loader loader;
  private volatile String loaded = "";

  public TableWatch(Signature signature, Loader loader) {
    this.signature = signature;
    this.loader = loader;
  }

  /** Reloads when the table changed since the last load (another instance's edit). */
  public void refreshIfChanged() throws SQLException {
    if (!signature.read().equals(loaded)) {
      reload();
    }
  }

  /** Reads every row into memory now. */
  public synchronized void reload() throws SQLException {
    String before = signature.read();
    loader.load();
    loaded = before;
  }
}
