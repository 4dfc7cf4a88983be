import { Body, Controller, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { ChangePartnerCommand } from './change-partner.command';
import { ChangePartnerRequest, requestedChanges } from './change-partner.request';
import { PartnerWrittenResponse } from '../configuration.responses';
import { ApiProblems } from '../../openapi/api-docs';

@ApiTags('Partners')
@ApiBearerAuth()
@Controller('v1/partners')
export class ChangePartnerController {
  constructor(private readonly commands: CommandBus) {}

  /** 200 with the partner; 404 unknown partner; 422 unknown parent/program or a cycle. */
  @ApiOperation({
    summary: 'Change a partner',
    description: 'Any of the fields; the id and the code never change.',
  })
  @ApiOkResponse({ type: PartnerWrittenResponse })
  @ApiProblems({ 404: 'No such partner', 422: 'Unknown parent or program, or a parent cycle' })
  @Roles()
  @Patch(':id')
  async change(
    @Param('id') id: string,
    @Body() body: ChangePartnerRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<PartnerWrittenResponse> {
    const { partner, position } = await this.commands.execute(
      new ChangePartnerCommand(id, requestedChanges(body), body.password, caller),
    );
    return { ...partner, position };
  }
}
