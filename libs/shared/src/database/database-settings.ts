/** Where a service's own database is and how it logs in (each service has its own role, article 8). */
export interface DatabaseSettings {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
}
