import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { AdjustLedgerController } from './adjust-ledger/adjust-ledger.controller';
import { AdjustLedgerHandler } from './adjust-ledger/adjust-ledger.handler';
import { BatchLedgersController } from './batch-ledgers/batch-ledgers.controller';
import { BatchLedgersHandler } from './batch-ledgers/batch-ledgers.handler';
import { CreateBatchController } from './create-batch/create-batch.controller';
import { CreateBatchHandler } from './create-batch/create-batch.handler';
import { GetBatchController } from './get-batch/get-batch.controller';
import { GetBatchHandler } from './get-batch/get-batch.handler';
import { ListBatchesController } from './list-batches/list-batches.controller';
import { ListBatchesHandler } from './list-batches/list-batches.handler';
import { PayoutDueController } from './payout-due/payout-due.controller';
import { PayoutDueHandler } from './payout-due/payout-due.handler';
import { PayoutSchedule } from './payout-due/payout-schedule';
import { MoneyMovements } from './money-movements';
import { RecordPaymentController } from './record-payment/record-payment.controller';
import { RecordPaymentHandler } from './record-payment/record-payment.handler';

@Module({
  imports: [ReportsModule],
  // In this order: the OpenAPI document lists the paths as the controllers come.
  controllers: [
    RecordPaymentController,
    AdjustLedgerController,
    CreateBatchController,
    ListBatchesController,
    GetBatchController,
    BatchLedgersController,
    PayoutDueController,
  ],
  providers: [
    MoneyMovements,
    PayoutSchedule,
    RecordPaymentHandler,
    AdjustLedgerHandler,
    CreateBatchHandler,
    ListBatchesHandler,
    GetBatchHandler,
    BatchLedgersHandler,
    PayoutDueHandler,
  ],
})
export class PayoutsModule {}
