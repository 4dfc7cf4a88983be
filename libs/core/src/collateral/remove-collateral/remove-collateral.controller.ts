import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { CollateralRemovedResponse } from '../collateral.responses';
import { type CollateralRemoved, RemoveCollateralCommand } from './remove-collateral.command';

@ApiTags('Collateral')
@ApiBearerAuth()
@Controller('v1/collateral')
export class RemoveCollateralController {
  constructor(private readonly commands: CommandBus) {}

  /**
   * Withdraws collateral from the Partner Center with a `CollateralRemoved` event; the addition and
   * the file stay on record (and the file's URL keeps working for pages that embed it). 404 unknown.
   */
  @Roles()
  @Delete(':id')
  @ApiOperation({
    operationId: 'Collateral_remove',
    summary: 'Remove collateral (a new event; its file stays reachable)',
  })
  @ApiOkResponse({ type: CollateralRemovedResponse })
  @ApiProblems({ 404: 'No such collateral' })
  async remove(@Param('id') id: string, @CurrentCaller() caller?: Caller): Promise<CollateralRemoved> {
    return this.commands.execute(new RemoveCollateralCommand(id, caller));
  }
}
