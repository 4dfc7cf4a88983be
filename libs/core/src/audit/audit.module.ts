import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLedgerService } from './audit-ledger';
import { AuditVerifier } from './audit-verifier';
import { ChainVerifier } from './chain-verifier';

@Module({
  controllers: [AuditController],
  providers: [AuditLedgerService, ChainVerifier, AuditVerifier],
  exports: [AuditLedgerService, AuditVerifier],
})
export class AuditModule {}
