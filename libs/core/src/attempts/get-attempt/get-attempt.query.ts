import { Query } from '@nestjs/cqrs';
import type { AttemptResponse } from '../attempt.responses';

/** One purchase attempt with its attribution and commissions; 404 for an unknown id. */
export class GetAttemptQuery extends Query<AttemptResponse> {
  constructor(readonly attemptId: string) {
    super();
  }
}
