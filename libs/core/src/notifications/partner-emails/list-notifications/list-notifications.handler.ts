import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Database } from '@app/platform';
import { type NotificationView, listNotifications } from '../notification.views';
import { ListNotificationsQuery } from './list-notifications.query';

@QueryHandler(ListNotificationsQuery)
export class ListNotificationsHandler implements IQueryHandler<ListNotificationsQuery> {
  constructor(private readonly database: Database) {}

  async execute({ filter }: ListNotificationsQuery): Promise<NotificationView[]> {
    return listNotifications(this.database, filter);
  }
}
