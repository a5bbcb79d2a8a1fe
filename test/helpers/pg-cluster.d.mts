export function findPostgresBinaries(): string | null;
export function startPostgresCluster(options?: { bin?: string | null; durable?: boolean; maxConnections?: number }): {
  adminUrl: string;
  stop(): void;
};
