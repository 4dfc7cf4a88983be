/** The whole service as one Nest module; feature modules are added to FEATURE_MODULES. */
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Projection } from '@app/projections';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './health/health.controller';
import { InfrastructureModule, type InfrastructureOptions } from './infrastructure/infrastructure.module';
import { ListConsumersController } from './operations/list-consumers/list-consumers.controller';
import { ListConsumersHandler } from './operations/list-consumers/list-consumers.handler';
import { ListProjectionsController } from './operations/list-projections/list-projections.controller';
import { ListProjectionsHandler } from './operations/list-projections/list-projections.handler';
import { RebuildProjectionController } from './operations/rebuild-projection/rebuild-projection.controller';
import { RebuildProjectionHandler } from './operations/rebuild-projection/rebuild-projection.handler';
import { AuditModule } from './audit/audit.module';
import { auditChainProjection } from './audit/audit-chain';
import { AttemptsModule } from './attempts/attempts.module';
import { CollateralModule } from './collateral/collateral.module';
import { ConfigurationModule } from './configuration/configuration.module';
import { IngestModule } from './ingest/ingest.module';
import { NOTIFICATION_PROJECTIONS, NotificationsModule } from './notifications/notifications.module';
import { REPORT_PROJECTIONS, ReportsModule } from './reports/reports.module';
import { writeModelProjection } from './write-model/write-model.projection';
import { PartnerCenterModule } from './partner-center/partner-center.module';
import { PayoutsModule } from './payouts/payouts.module';
import { SimulationsModule } from './simulations/simulations.module';
import { RedirectModule } from './tracking/redirect/redirect.module';
import { TrackingModule } from './tracking/tracking.module';
import { WriteModelModule } from './write-model/write-model.module';
import { WorkerModule } from './worker/worker.module';

/** Feature modules (one folder per use case inside each). */
const FEATURE_MODULES: Type[] = [
  ConfigurationModule,
  TrackingModule,
  RedirectModule,
  AttemptsModule,
  IngestModule,
  AuditModule,
  ReportsModule,
  PayoutsModule,
  PartnerCenterModule,
  CollateralModule,
  NotificationsModule,
  SimulationsModule,
];

/** The write model (applied inline by the writers) and the read models built by the projection runner. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  writeModelProjection,
  auditChainProjection,
  ...REPORT_PROJECTIONS,
  ...NOTIFICATION_PROJECTIONS,
];

@Module({})
export class AppModule {
  static forRoot(options: InfrastructureOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.forRoot(options, ALL_PROJECTIONS),
        CqrsModule.forRoot(),
        AuthModule,
        WriteModelModule,
        ...FEATURE_MODULES,
        WorkerModule.forRoot(options.runWorkerTasks),
      ],
      // Operations read the runner, the broker and the worker tasks: wired here, where all three are imported.
      controllers: [
        HealthController,
        ListProjectionsController,
        RebuildProjectionController,
        ListConsumersController,
      ],
      providers: [ListProjectionsHandler, RebuildProjectionHandler, ListConsumersHandler],
    };
  }
}
