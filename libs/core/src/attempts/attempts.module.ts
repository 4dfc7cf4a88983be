import { Module } from '@nestjs/common';
import { GetAttemptController } from './get-attempt/get-attempt.controller';
import { GetAttemptHandler } from './get-attempt/get-attempt.handler';
import { GetCommissionController } from './get-commission/get-commission.controller';
import { GetCommissionHandler } from './get-commission/get-commission.handler';

/** The attempts' read endpoints; their ingest slices are in the ingest registry. */
@Module({
  // In this order: the OpenAPI document lists the paths as the controllers come.
  controllers: [GetAttemptController, GetCommissionController],
  providers: [GetAttemptHandler, GetCommissionHandler],
})
export class AttemptsModule {}
