import { Query } from '@nestjs/cqrs';
import type { commissionView } from '../../attempts/attempt-views';

export interface MyCommissions {
  partnerId: string;
  currency: string;
  commissions: ReturnType<typeof commissionView>[];
}

/** Every commission of the partner (optionally earned within local days), with its explanation. */
export class MyCommissionsQuery extends Query<MyCommissions> {
  constructor(
    readonly partnerId: string,
    readonly from: string | undefined,
    readonly to: string | undefined,
  ) {
    super();
  }
}
