/**
 * Verification for auditors: the hash chain, then each registered read-model check (a replay of the
 * log compared with the table the projection built).
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ChainVerifier, type ReadModelDifference } from './chain-verifier';

export interface ReadModelCheck {
  readonly readModel: string;
  /** Replays the log into memory and lists where the read model differs. */
  check(): Promise<{ checkedEvents: number; differences: ReadModelDifference[] }>;
}

export const READ_MODEL_CHECKS = Symbol('READ_MODEL_CHECKS');

@Injectable()
export class AuditVerifier {
  constructor(
    private readonly chain: ChainVerifier,
    @Optional() @Inject(READ_MODEL_CHECKS) private readonly checks: ReadModelCheck[] = [],
  ) {}

  async verify(): Promise<{
    consistent: boolean;
    checkedEvents: number;
    differences: ReadModelDifference[];
  }> {
    const chain = await this.chain.verify();
    const differences = [...chain.differences];
    let checkedEvents = chain.checkedEvents;
    for (const check of this.checks) {
      const result = await check.check();
      differences.push(...result.differences);
      checkedEvents = Math.max(checkedEvents, result.checkedEvents);
    }
    return { consistent: differences.length === 0, checkedEvents, differences };
  }
}
