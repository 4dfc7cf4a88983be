import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { EnrollPartnerCommand } from './enroll-partner.command';
import { EnrollPartnerRequest, partnerFromRequest } from './enroll-partner.request';
import { PartnerWrittenResponse } from '../configuration.responses';
import { ApiProblems } from '../../openapi/api-docs';

@ApiTags('Partners')
@ApiBearerAuth()
@Controller('v1/partners')
export class EnrollPartnerController {
  constructor(private readonly commands: CommandBus) {}

  /** 201 with the partner; 409 code taken or id reused with other content; 422 unknown parent/program or a cycle. */
  @ApiOperation({ summary: 'Enrol a partner' })
  @ApiCreatedResponse({ type: PartnerWrittenResponse })
  @ApiProblems({
    409: 'The code is taken, or the id is reused with other content',
    422: 'Unknown parent or program, or a parent cycle',
  })
  @Roles()
  @Post()
  async enroll(
    @Body() body: EnrollPartnerRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<PartnerWrittenResponse> {
    const { partner, position } = await this.commands.execute(
      new EnrollPartnerCommand(partnerFromRequest(body), body.password, caller),
    );
    return { ...partner, position };
  }
}
