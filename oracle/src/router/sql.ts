/** The router talks to the store through D's SQL port (oracle/src/store/sql.ts). */
export type { Sql, SqlQuery, SqlResult } from '../store/sql.ts';
