import { Module } from '@nestjs/common';
import { AuditLedgerService } from './audit-ledger';
import { AuditVerifier, READ_MODEL_CHECKS } from './audit-verifier';
import { ChainVerifier } from './chain-verifier';
import { LedgerAuditCheck } from './ledger-audit-check';
import { AuditPartnerLedgerController } from './partner-ledger/partner-ledger.controller';
import { AuditPartnerLedgerHandler } from './partner-ledger/partner-ledger.handler';
import { ReadEventsController } from './read-events/read-events.controller';
import { ReadEventsHandler } from './read-events/read-events.handler';
import { ReadModelVerifier } from './read-model-verifier';
import { VerifyController } from './verify/verify.controller';
import { VerifyHandler } from './verify/verify.handler';

@Module({
  // In this order: the OpenAPI document lists the paths as the controllers come.
  controllers: [ReadEventsController, AuditPartnerLedgerController, VerifyController],
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
    ReadEventsHandler,
    AuditPartnerLedgerHandler,
    VerifyHandler,
  ],
  exports: [AuditLedgerService, AuditVerifier],
})
export class AuditModule {}
