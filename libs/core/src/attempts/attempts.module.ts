import { Module } from '@nestjs/common';
import { AttemptsController } from './queries/attempts.controller';

/** The attempts' read endpoints; their ingest slices are in the ingest registry. */
@Module({
  controllers: [AttemptsController],
})
export class AttemptsModule {}
