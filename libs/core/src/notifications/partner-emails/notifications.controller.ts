/** The outbox of partner emails, for admins: what was sent, what waits, what failed, and why. */
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Database } from '@app/platform';
import { Roles } from '../../auth/roles.decorator';
import { NOTIFICATION_STATUSES, NotificationView, listNotifications } from './notification.views';

export class ListNotificationsRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  partnerId?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 5000, default: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;
}

@ApiTags('Notifications')
@ApiBearerAuth()
@Controller('v1/admin/notifications')
export class NotificationsController {
  constructor(private readonly database: Database) {}

  @Roles()
  @Get()
  @ApiOperation({ summary: 'Partner emails in the outbox, oldest first' })
  @ApiOkResponse({ type: [NotificationView] })
  async list(@Query() request: ListNotificationsRequest): Promise<NotificationView[]> {
    return listNotifications(this.database, { ...request, limit: request.limit ?? 1000 });
  }
}
