-- pg_stat_statements, which the operations runbook reads to find slow queries. Created where the
-- server has it and the migrating user may create it; elsewhere this does nothing (a notice says
-- why). The view returns rows only when the server also loads the library
-- (shared_preload_libraries = 'pg_stat_statements'), as the Kubernetes postgres does.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_stat_statements not created: %', SQLERRM;
END
$$;
