import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLedgerService } from './audit-ledger';
import { AuditVerifier, READ_MODEL_CHECKS } from './audit-verifier';
import { ChainVerifier } from './chain-verifier';
import { ReadModelVerifier } from './read-model-verifier';

@Module({
  controllers: [AuditController],
  providers: [
    AuditLedgerService,
    ChainVerifier,
    ReadModelVerifier,
    {
      provide: READ_MODEL_CHECKS,
      useFactory: (readModels: ReadModelVerifier) => [readModels],
      inject: [ReadModelVerifier],
    },
    AuditVerifier,
  ],
  exports: [AuditLedgerService, AuditVerifier],
})
export class AuditModule {}
