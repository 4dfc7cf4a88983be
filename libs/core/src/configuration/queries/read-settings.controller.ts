import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { GetSettingsQuery } from './configuration.queries';
import { SettingsResponse } from '../configuration.responses';

@ApiTags('Settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class ReadSettingsController {
  constructor(private readonly queries: QueryBus) {}

  /** The full settings object (domain.md section 3), defaults included. */
  @ApiOperation({ summary: 'Read the settings' })
  @ApiOkResponse({ type: SettingsResponse })
  @Roles('auditor')
  @Get()
  async get(): Promise<SettingsResponse> {
    return this.queries.execute(new GetSettingsQuery());
  }
}
