/** The outbox of partner emails, for admins: what was sent, what waits, what failed, and why. */
import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../auth/roles.decorator';
import { NotificationView } from '../notification.views';
import { ListNotificationsQuery } from './list-notifications.query';
import { ListNotificationsRequest } from './list-notifications.request';

@ApiTags('Notifications')
@ApiBearerAuth()
@Controller('v1/admin/notifications')
export class NotificationsController {
  constructor(private readonly queries: QueryBus) {}

  @Roles()
  @Get()
  @ApiOperation({ summary: 'Partner emails in the outbox, oldest first' })
  @ApiOkResponse({ type: [NotificationView] })
  async list(@Query() request: ListNotificationsRequest): Promise<NotificationView[]> {
    return this.queries.execute(new ListNotificationsQuery({ ...request, limit: request.limit ?? 1000 }));
  }
}
