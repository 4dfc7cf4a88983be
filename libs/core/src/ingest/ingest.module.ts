import { Module } from '@nestjs/common';
import { AttemptsModule } from '../attempts/attempts.module';
import { TrackingModule } from '../tracking/tracking.module';
import { DecisionStateLoader } from '../write-model/decision-state';
import { GroupCommitter } from './group-commit/group-committer';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { JetStreamIngestTask } from './jetstream/jetstream-ingest.task';
import { JetStreamConnection } from './jetstream/jetstream.connection';

@Module({
  imports: [TrackingModule, AttemptsModule],
  controllers: [IngestController],
  providers: [IngestService, DecisionStateLoader, GroupCommitter, JetStreamConnection, JetStreamIngestTask],
  exports: [IngestService, GroupCommitter, JetStreamConnection, JetStreamIngestTask],
})
export class IngestModule {}
