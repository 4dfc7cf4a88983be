import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLedgerService } from './audit-ledger';
import { AuditVerifier, READ_MODEL_CHECKS } from './audit-verifier';
import { ChainVerifier } from './chain-verifier';
import { LedgerAuditCheck } from './ledger-audit-check';
import { ReadModelVerifier } from './read-model-verifier';

@Module({
  controllers: [AuditController],
  providers: [
    AuditLedgerService,
    ChainVerifier,
    ReadModelVerifier,
    LedgerAuditCheck,
    {
      provide: READ_MODEL_CHECKS,
      // The replay with the projections' own code, then the ledger recomputed with the pure domain.
      useFactory: (readModels: ReadModelVerifier, ledger: LedgerAuditCheck) => [readModels, ledger],
      inject: [ReadModelVerifier, LedgerAuditCheck],
    },
    AuditVerifier,
  ],
  exports: [AuditLedgerService, AuditVerifier],
})
export class AuditModule {}
