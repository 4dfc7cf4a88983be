import { Module } from '@nestjs/common';
import { TrackingModule } from '../tracking/tracking.module';
import { AttemptStreams } from './attempt-stream';
import { PaymentCollectedHandler } from './payment-collected/payment-collected.handler';
import { PaymentDeclinedHandler } from './payment-declined/payment-declined.handler';
import { PurchaseAttemptedHandler } from './purchase-attempted/purchase-attempted.handler';
import { AttemptsController } from './queries/attempts.controller';
import { RefundIssuedHandler } from './refund-issued/refund-issued.handler';

const HANDLERS = [
  PurchaseAttemptedHandler,
  PaymentCollectedHandler,
  PaymentDeclinedHandler,
  RefundIssuedHandler,
];

@Module({
  imports: [TrackingModule],
  controllers: [AttemptsController],
  providers: [AttemptStreams, ...HANDLERS],
  exports: HANDLERS,
})
export class AttemptsModule {}
