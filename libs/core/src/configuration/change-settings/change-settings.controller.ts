import { Body, Controller, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { definedFields } from '../configuration.validation';
import { ChangeSettingsCommand } from './change-settings.command';
import { ChangeSettingsRequest } from './change-settings.request';

@ApiTags('Settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class ChangeSettingsController {
  constructor(private readonly commands: CommandBus) {}

  /** Any subset of the settings -> 200 with the full settings and the position of the change. */
  @Roles()
  @Patch()
  async change(@Body() body: ChangeSettingsRequest, @CurrentCaller() caller?: Caller) {
    const { settings, position } = await this.commands.execute(
      new ChangeSettingsCommand(definedFields(body), caller),
    );
    return { ...settings, position };
  }
}
