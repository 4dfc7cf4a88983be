/** A signed-in partner turns its own lead and sale emails on or off (a PartnerChanged event). */
import { PartnerWrittenResponse } from '../../configuration/configuration.responses';
import { Body, Controller, Patch, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { OptionalNotNull } from '../../configuration/configuration.validation';
import { ChangePartnerCommand } from '../../configuration/change-partner/change-partner.command';
import { MeRequest, OnlyMyPartnerId, me } from '../../partner-center/signed-in-partner';

export class ChangeMyNotificationsRequest extends MeRequest {
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
@UseGuards(OnlyMyPartnerId)
export class PartnerPreferencesController {
  constructor(private readonly commands: CommandBus) {}

  @Roles('partner')
  @Patch()
  @ApiOperation({ summary: "Change the signed-in partner's notification flags" })
  @ApiOkResponse({
    type: PartnerWrittenResponse,
    description: 'The partner, with the position of the change',
  })
  async change(
    @Body() body: ChangeMyNotificationsRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<PartnerWrittenResponse> {
    const partnerId = me(caller);
    const { notifyOnLead, notifyOnSale } = body;
    const { partner, position } = await this.commands.execute(
      new ChangePartnerCommand(
        partnerId,
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
