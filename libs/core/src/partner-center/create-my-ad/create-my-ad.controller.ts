import { Body, Controller, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { AdWrittenResponse } from '../../configuration/configuration.responses';
import type { AdView } from '../../configuration/configuration.views';
import { CreateAdCommand } from '../../configuration/create-ad/create-ad.command';
import { adFromRequest } from '../../configuration/create-ad/create-ad.request';
import { ApiProblems } from '../../openapi/api-docs';
import { OnlyMyPartnerId, me } from '../signed-in-partner';
import { MyAdRequest } from './create-my-ad.request';

/** The signed-in partner creates an ad of its own: the admin's create-ad command, for "me". */
@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(OnlyMyPartnerId)
export class CreateMyAdController {
  constructor(private readonly commands: CommandBus) {}

  @ApiOperation({ operationId: 'Me_createAd', summary: 'Create an ad on a link' })
  @ApiCreatedResponse({ type: AdWrittenResponse })
  @ApiProblems({ 409: 'The id is reused with other content', 422: 'Unknown link' })
  @Roles('partner')
  @Post('ads')
  async createAd(
    @Body() body: MyAdRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<AdView & { position: string }> {
    const { ad, position } = await this.commands.execute(
      new CreateAdCommand(adFromRequest(me(caller), body), caller),
    );
    return { ...ad, position };
  }
}
