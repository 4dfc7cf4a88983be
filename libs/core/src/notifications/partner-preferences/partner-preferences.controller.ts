/** A signed-in partner turns its own lead and sale emails on or off (a PartnerChanged event). */
import { Body, Controller, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { ProblemError } from '@app/platform';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { OptionalNotNull } from '../../configuration/configuration.validation';
import { ChangePartnerCommand } from '../../configuration/change-partner/change-partner.command';

export class ChangeMyNotificationsRequest {
  @ApiPropertyOptional({ description: 'An email when a contact you referred opts in' })
  @OptionalNotNull()
  @IsBoolean()
  notifyOnLead?: boolean;

  @ApiPropertyOptional({ description: 'An email when you earn a commission on a sale' })
  @OptionalNotNull()
  @IsBoolean()
  notifyOnSale?: boolean;
}

@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me')
export class PartnerPreferencesController {
  constructor(private readonly commands: CommandBus) {}

  @Roles('partner')
  @Patch()
  @ApiOperation({ summary: "Change the signed-in partner's notification flags" })
  @ApiOkResponse({ description: 'The partner, with the position of the change' })
  async change(@Body() body: ChangeMyNotificationsRequest, @CurrentCaller() caller?: Caller) {
    if (caller?.role !== 'partner' || !caller.partnerId)
      throw new ProblemError(403, 'Only a signed-in partner has a Partner Center');
    const { notifyOnLead, notifyOnSale } = body;
    const { partner, position } = await this.commands.execute(
      new ChangePartnerCommand(
        caller.partnerId,
        {
          ...(notifyOnLead === undefined ? {} : { notifyOnLead }),
          ...(notifyOnSale === undefined ? {} : { notifyOnSale }),
        },
        undefined,
        caller,
      ),
    );
    return { ...partner, position };
  }
}
