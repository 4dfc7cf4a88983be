/**
 * The worker role's background tasks. To add one (notification or webhook dispatch, another broker
 * consumer), implement WorkerTask, provide it in its feature module, export it, import that module
 * here and list the class in WORKER_TASKS: it then starts in ROLE=worker and ROLE=all processes only.
 * The projection runner is started next to these, by the infrastructure module.
 */
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { JetStreamIngestTask } from '../ingest/jetstream/jetstream-ingest.task';
import { IngestModule } from '../ingest/ingest.module';
import type { WorkerTask } from './worker-task';

/** Every background task of the worker role, started in this order and stopped in reverse. */
export const WORKER_TASKS: readonly Type<WorkerTask>[] = [JetStreamIngestTask];
const TASK_MODULES: readonly Type[] = [IngestModule];

/** Starts and stops the worker tasks; `running` is false in an api process. */
export class WorkerTasks implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private tasks: WorkerTask[] = [];
  private started = false;

  constructor(
    private readonly moduleRef: ModuleRef,
    readonly running: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.running) return;
    this.tasks = WORKER_TASKS.map((type) => this.moduleRef.get(type, { strict: false }));
    for (const task of this.tasks) {
      await task.start();
      this.logger.log(`started ${task.name}`);
    }
    this.started = true;
  }

  /** Before the HTTP server and the database close: tasks finish their batch while both still work. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const task of [...this.tasks].reverse()) {
      await task.stop().catch((error: unknown) => this.logger.error(`${task.name}: ${String(error)}`));
    }
    this.tasks = [];
  }

  /** Whether every task started and none keeps failing (true when this process runs none). */
  get healthy(): boolean {
    if (!this.running) return true;
    return this.started && this.tasks.every((task) => task.healthy);
  }

  get states(): { name: string; healthy: boolean }[] {
    return this.tasks.map((task) => ({ name: task.name, healthy: task.healthy }));
  }
}

@Module({})
export class WorkerModule {
  static forRoot(running: boolean): DynamicModule {
    return {
      module: WorkerModule,
      imports: [...TASK_MODULES],
      providers: [
        {
          provide: WorkerTasks,
          useFactory: (moduleRef: ModuleRef) => new WorkerTasks(moduleRef, running),
          inject: [ModuleRef],
        },
      ],
      exports: [WorkerTasks],
    };
  }
}
