import { Body, Controller, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { definedFields } from '../configuration.validation';
import { ChangeSettingsCommand } from './change-settings.command';
import { ChangeSettingsRequest } from './change-settings.request';
import { SettingsChangedResponse } from '../configuration.responses';
import { ApiProblems } from '../../openapi/api-docs';

@ApiTags('Settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class ChangeSettingsController {
  constructor(private readonly commands: CommandBus) {}

  /** Any subset of the settings -> 200 with the full settings and the position of the change. */
  @ApiOperation({
    summary: 'Change some settings',
    description:
      'Any subset; a patch with any error applies nothing. A change applies from its position in the log on.',
  })
  @ApiOkResponse({ type: SettingsChangedResponse, description: 'The full settings after the change' })
  @ApiProblems({ 422: 'Against a domain rule (e.g. `currency-locked`)' })
  @Roles()
  @Patch()
  async change(
    @Body() body: ChangeSettingsRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<SettingsChangedResponse> {
    const { settings, position } = await this.commands.execute(
      new ChangeSettingsCommand(definedFields(body), caller),
    );
    return { ...settings, position };
  }
}
