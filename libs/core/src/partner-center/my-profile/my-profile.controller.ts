import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { MeProfileResponse } from '../partner-center.responses';
import { MeRequest, OnlyMyPartnerId, me } from '../signed-in-partner';
import { type MyProfile, MyProfileQuery } from './my-profile.query';

@ApiTags('Partner Center')
@ApiBearerAuth()
@Controller('v1/me')
@UseGuards(OnlyMyPartnerId)
export class MyProfileController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({ operationId: 'Me_profile', summary: 'The signed-in partner' })
  @ApiOkResponse({ type: MeProfileResponse })
  @Roles('partner')
  @Get()
  async profile(@Query() _request: MeRequest, @CurrentCaller() caller?: Caller): Promise<MyProfile> {
    return this.queries.execute(new MyProfileQuery(me(caller)));
  }
}
