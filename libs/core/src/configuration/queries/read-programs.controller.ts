import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { GetProgramQuery, ListProgramsQuery } from './configuration.queries';

@ApiTags('Programs')
@ApiBearerAuth()
@Controller('v1/programs')
export class ReadProgramsController {
  constructor(private readonly queries: QueryBus) {}

  /** Every program, by id. */
  @Roles('auditor')
  @Get()
  async list() {
    return this.queries.execute(new ListProgramsQuery());
  }

  @Roles('auditor')
  @Get(':id')
  async get(@Param('id') id: string) {
    return this.queries.execute(new GetProgramQuery(id));
  }
}
