import { Query } from '@nestjs/cqrs';
import type { NotificationView } from '../notification.views';

/** The outbox of partner emails, for admins: what was sent, what waits, what failed, and why. */
export class ListNotificationsQuery extends Query<NotificationView[]> {
  constructor(
    readonly filter: { partnerId?: string | undefined; status?: string | undefined; limit: number },
  ) {
    super();
  }
}
