import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { CreateAdCommand } from './create-ad.command';
import { CreateAdRequest, adFromRequest } from './create-ad.request';
import { AdWrittenResponse } from '../configuration.responses';
import { ApiProblems } from '../../openapi/api-docs';

@ApiTags('Links and ads')
@ApiBearerAuth()
@Controller('v1/partners')
export class CreateAdController {
  constructor(private readonly commands: CommandBus) {}

  /** 201 with the ad and its tracking URL; 404 unknown partner; 422 unknown link. */
  @ApiOperation({
    summary: 'Create an ad for a partner',
    description: 'An ad splits the link stats of one link by medium.',
  })
  @ApiCreatedResponse({ type: AdWrittenResponse })
  @ApiProblems({ 404: 'No such partner', 409: 'The id is reused with other content', 422: 'Unknown link' })
  @Roles()
  @Post(':id/ads')
  async create(
    @Param('id') partnerId: string,
    @Body() body: CreateAdRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<AdWrittenResponse> {
    const { ad, position } = await this.commands.execute(
      new CreateAdCommand(adFromRequest(partnerId, body), caller),
    );
    return { ...ad, position };
  }
}
