import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuditVerifier, type VerifyResult } from '../audit-verifier';
import { VerifyQuery } from './verify.query';

@QueryHandler(VerifyQuery)
export class VerifyHandler implements IQueryHandler<VerifyQuery> {
  constructor(private readonly verifier: AuditVerifier) {}

  async execute(): Promise<VerifyResult> {
    return this.verifier.verify();
  }
}
