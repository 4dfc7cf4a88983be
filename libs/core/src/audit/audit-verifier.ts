/**
 * Verification for auditors: the hash chain, then each registered read-model check (a replay of the
 * log compared with the table the projection built).
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ChainVerifier, type ReadModelDifference } from './chain-verifier';

/** How far one step of verify is: `done` of `total` (events, or partners for the ledger audit). */
export interface VerifyProgress {
  readonly step: string;
  readonly done: number;
  readonly total: number;
}

export interface ReadModelCheck {
  readonly readModel: string;
  /** Replays the log and lists where the read model differs. */
  check(
    onProgress?: (progress: VerifyProgress) => void,
  ): Promise<{ checkedEvents: number; differences: ReadModelDifference[] }>;
}

export const READ_MODEL_CHECKS = Symbol('READ_MODEL_CHECKS');

export interface VerifyResult {
  consistent: boolean;
  checkedEvents: number;
  differences: ReadModelDifference[];
}

@Injectable()
export class AuditVerifier {
  constructor(
    private readonly chain: ChainVerifier,
    @Optional() @Inject(READ_MODEL_CHECKS) private readonly checks: ReadModelCheck[] = [],
  ) {}

  /** No transaction of it stays open long; `onProgress` hears how far each step is. */
  async verify(onProgress?: (progress: VerifyProgress) => void): Promise<VerifyResult> {
    const chain = await this.chain.verify((done, total) => onProgress?.({ step: 'hash chain', done, total }));
    const differences = [...chain.differences];
    let checkedEvents = chain.checkedEvents;
    for (const check of this.checks) {
      const result = await check.check(onProgress);
      differences.push(...result.differences);
      checkedEvents = Math.max(checkedEvents, result.checkedEvents);
    }
    return { consistent: differences.length === 0, checkedEvents, differences };
  }
}
