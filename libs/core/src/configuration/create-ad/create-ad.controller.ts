import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { CreateAdCommand } from './create-ad.command';
import { CreateAdRequest, adFromRequest } from './create-ad.request';

@ApiTags('Links and ads')
@ApiBearerAuth()
@Controller('v1/partners')
export class CreateAdController {
  constructor(private readonly commands: CommandBus) {}

  /** 201 with the ad and its tracking URL; 404 unknown partner; 422 unknown link. */
  @Roles()
  @Post(':id/ads')
  async create(
    @Param('id') partnerId: string,
    @Body() body: CreateAdRequest,
    @CurrentCaller() caller?: Caller,
  ) {
    const { ad, position } = await this.commands.execute(
      new CreateAdCommand(adFromRequest(partnerId, body), caller),
    );
    return { ...ad, position };
  }
}
