import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { AdjustLedgerController } from './adjust-ledger/adjust-ledger.controller';
import { CreateBatchHandler } from './create-batch/create-batch.handler';
import { OncePerId } from './payout-streams';
import { BatchesController } from './queries/batches.controller';
import { PayoutDueQuery } from './queries/payout-due.query';
import { RecordPaymentController } from './record-payment/record-payment.controller';

@Module({
  imports: [ReportsModule],
  controllers: [RecordPaymentController, AdjustLedgerController, BatchesController],
  providers: [OncePerId, CreateBatchHandler, PayoutDueQuery],
})
export class PayoutsModule {}
