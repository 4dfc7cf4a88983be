import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ListLinksQuery } from './configuration.queries';
import { LinkResponse } from '../configuration.responses';

@ApiTags('Links and ads')
@ApiBearerAuth()
@Controller('v1/links')
export class ReadLinksController {
  constructor(private readonly queries: QueryBus) {}

  /** Every tracking link, by id. */
  @ApiOperation({ summary: 'List the tracking links' })
  @ApiOkResponse({ type: [LinkResponse] })
  @Roles('auditor')
  @Get()
  async list(): Promise<LinkResponse[]> {
    return this.queries.execute(new ListLinksQuery());
  }
}
