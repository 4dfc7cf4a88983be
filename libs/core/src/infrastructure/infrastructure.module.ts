/** Connects the service to PostgreSQL: pool, event store, projection runner, and their lifecycles. */
import {
  Global,
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, PostgresEventStore, type EventStore } from '@app/event-store';
import { type AppConfig, Database, processIdentity } from '@app/platform';
import { PROJECTIONS, ProjectionRunner, type Projection } from '@app/projections';
import { APP_CONFIG, DATABASE_URL, RUN_DISPATCHERS } from './tokens';

export interface InfrastructureOptions {
  readonly config: AppConfig;
  readonly databaseUrl: string;
  /** Run the projection loops in this process (ROLE=worker and all do; api and the CLI do not). */
  readonly runProjections: boolean;
  /** Run the worker tasks (broker consumers, ...) in this process: ROLE=worker and all. */
  readonly runWorkerTasks: boolean;
  /** Send partner emails and webhooks from this process (default: where the projections run). */
  readonly runDispatchers?: boolean;
}

class InfrastructureLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Infrastructure');

  constructor(
    private readonly database: Database,
    private readonly runner: ProjectionRunner,
    private readonly runProjections: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.runProjections) await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
    await this.database.close();
    this.logger.log('database connections closed');
  }
}

@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(options: InfrastructureOptions, projections: readonly Projection[]): DynamicModule {
    const logger = new Logger('Projections');
    return {
      module: InfrastructureModule,
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: DATABASE_URL, useValue: options.databaseUrl },
        { provide: RUN_DISPATCHERS, useValue: options.runDispatchers ?? options.runProjections },
        {
          provide: Database,
          useFactory: () => new Database(options.databaseUrl, options.config.databasePoolSize),
        },
        {
          provide: EVENT_STORE,
          useFactory: (db: Database) => new PostgresEventStore(db),
          inject: [Database],
        },
        { provide: PROJECTIONS, useValue: projections },
        {
          provide: ProjectionRunner,
          useFactory: (store: EventStore, db: Database) =>
            new ProjectionRunner(projections, store, db, {
              databaseUrl: options.databaseUrl,
              rebuildBatchSize: options.config.projectionRebuildBatchSize,
              settleMs: options.config.projectionSettleMs,
              rebuildsAtOnce: options.config.rebuildsAtOnce,
              maxTransactionMs: options.config.projectionTransactionMs,
              holder: processIdentity(options.config.role),
              onLeadership: (name) => logger.log(`${name}: running in this process`),
              onError: (name, error) =>
                logger.error(`${name}: ${error instanceof Error ? error.message : String(error)}`),
            }),
          inject: [EVENT_STORE, Database],
        },
        {
          provide: InfrastructureLifecycle,
          useFactory: (db: Database, runner: ProjectionRunner) =>
            new InfrastructureLifecycle(db, runner, options.runProjections),
          inject: [Database, ProjectionRunner],
        },
      ],
      exports: [
        APP_CONFIG,
        DATABASE_URL,
        RUN_DISPATCHERS,
        Database,
        EVENT_STORE,
        PROJECTIONS,
        ProjectionRunner,
      ],
    };
  }
}

export const InjectConfig = (): PropertyDecorator & ParameterDecorator => Inject(APP_CONFIG);
