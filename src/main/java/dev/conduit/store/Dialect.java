package dev.conduit.store;

/** The databases Conduit runs on; migrations live in one folder per dialect. */
public enum Dialect {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql");

  private final String migrationFolder;

  Dialect(String migrationFolder) {
    this.migrationFolder = migrationFolder;
  }

  public String migrationFolder() {
    return migrationFolder;
  }
}
