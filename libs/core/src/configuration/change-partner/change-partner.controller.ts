import { Body, Controller, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { ChangePartnerCommand } from './change-partner.command';
import { ChangePartnerRequest, requestedChanges } from './change-partner.request';

@ApiTags('Partners')
@ApiBearerAuth()
@Controller('v1/partners')
export class ChangePartnerController {
  constructor(private readonly commands: CommandBus) {}

  /** 200 with the partner; 404 unknown partner; 422 unknown parent/program or a cycle. */
  @Roles()
  @Patch(':id')
  async change(
    @Param('id') id: string,
    @Body() body: ChangePartnerRequest,
    @CurrentCaller() caller?: Caller,
  ) {
    const { partner, position } = await this.commands.execute(
      new ChangePartnerCommand(id, requestedChanges(body), body.password, caller),
    );
    return { ...partner, position };
  }
}
