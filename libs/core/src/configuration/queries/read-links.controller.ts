import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ListLinksQuery } from './configuration.queries';

@ApiTags('Links and ads')
@ApiBearerAuth()
@Controller('v1/links')
export class ReadLinksController {
  constructor(private readonly queries: QueryBus) {}

  /** Every tracking link, by id. */
  @Roles('auditor')
  @Get()
  async list() {
    return this.queries.execute(new ListLinksQuery());
  }
}
