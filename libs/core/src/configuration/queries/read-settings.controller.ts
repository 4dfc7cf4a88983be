import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { GetSettingsQuery } from './configuration.queries';

@ApiTags('Settings')
@ApiBearerAuth()
@Controller('v1/settings')
export class ReadSettingsController {
  constructor(private readonly queries: QueryBus) {}

  /** The full settings object (domain.md section 3), defaults included. */
  @Roles('auditor')
  @Get()
  async get() {
    return this.queries.execute(new GetSettingsQuery());
  }
}
