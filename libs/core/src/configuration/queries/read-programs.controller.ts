import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { GetProgramQuery, ListProgramsQuery } from './configuration.queries';
import { ProgramResponse } from '../configuration.responses';
import { ApiProblems } from '../../openapi/api-docs';

@ApiTags('Programs')
@ApiBearerAuth()
@Controller('v1/programs')
export class ReadProgramsController {
  constructor(private readonly queries: QueryBus) {}

  /** Every program, by id. */
  @ApiOperation({ summary: 'List the programs' })
  @ApiOkResponse({ type: [ProgramResponse] })
  @Roles('auditor')
  @Get()
  async list(): Promise<ProgramResponse[]> {
    return this.queries.execute(new ListProgramsQuery());
  }

  @ApiOperation({ summary: 'Read a program' })
  @ApiOkResponse({ type: ProgramResponse })
  @ApiProblems({ 404: 'No such program' })
  @Roles('auditor')
  @Get(':id')
  async get(@Param('id') id: string): Promise<ProgramResponse> {
    return this.queries.execute(new GetProgramQuery(id));
  }
}
