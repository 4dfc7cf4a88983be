import { Query } from '@nestjs/cqrs';
import type { VerifyResult } from '../audit-verifier';

/** Replays the log and compares it with the hash chain and every read model. */
export class VerifyQuery extends Query<VerifyResult> {}
