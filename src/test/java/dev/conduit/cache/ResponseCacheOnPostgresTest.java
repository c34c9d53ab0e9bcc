package dev.conduit.cache;

/** {@link ResponseCacheTest} with PostgreSQL as the database (the log columns, the rollups). */
class ResponseCacheOnPostgresTest extends ResponseCacheTest {
  @Override
  protected String database() {
    return "postgresql";
  }
}
