/**
 * Background work of the worker role (ROLE=worker or all): started after the application is up,
 * stopped before its database connections close. Each task decides itself, with a lease
 * (tryAcquireLease), whether it runs in one process at a time.
 */
export interface WorkerTask {
  readonly name: string;
  /** Starts the loop in the background and resolves at once. */
  start(): Promise<void>;
  /** Finishes the batch in progress (commit, acks), then resolves. */
  stop(): Promise<void>;
  /** False while the task keeps failing (shown by /health/ready). */
  readonly healthy: boolean;
}
