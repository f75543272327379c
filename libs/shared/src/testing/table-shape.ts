/** Anything that runs a query and returns its rows (a TypeORM DataSource or EntityManager, a pg client's wrapper). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** A table as PostgreSQL describes it, without the names it generated: what two definitions must share. */
export interface TableShape {
  columns: string[];
  constraints: string[];
  indexes: string[];
}

/**
 * The columns (name, type, nullability, default), constraints and indexes of `schema.table`, each as
 * one sorted line. Generated names (sequences, constraints, indexes) and the schema are left out, so
 * the same definition created under two names has the same shape.
 */
export async function tableShape(database: Queryable, schema: string, table: string): Promise<TableShape> {
  const columns = (await database.query(
    `SELECT column_name || ' ' || data_type || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END ||
            coalesce(' default ' || regexp_replace(column_default, '^nextval\\(.*\\)$', 'nextval'), '') AS line
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
    [schema, table],
  )) as { line: string }[];
  const constraints = (await database.query(
    `SELECT contype::text || ' ' || pg_get_constraintdef(c.oid) AS line
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname = $2`,
    [schema, table],
  )) as { line: string }[];
  const indexes = (await database.query(
    `SELECT regexp_replace(indexdef, 'INDEX \\S+ ON \\S+', 'INDEX ON') AS line FROM pg_indexes WHERE schemaname = $1 AND tablename = $2`,
    [schema, table],
  )) as { line: string }[];
  const lines = (rows: { line: string }[]) => rows.map((row) => row.line).sort();
  return { columns: lines(columns), constraints: lines(constraints), indexes: lines(indexes) };
}
