import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKeyRecord } from '../api-key.service';
import { ApiKeyResponse } from '../auth.responses';
import { Roles } from '../roles.decorator';
import { ListApiKeysQuery } from './list-api-keys.query';

@ApiTags('Operations')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ListApiKeysController {
  constructor(private readonly queries: QueryBus) {}

  @ApiOperation({ operationId: 'ApiKeys_list', summary: 'List the API keys (never the keys themselves)' })
  @ApiOkResponse({ type: [ApiKeyResponse] })
  @Roles()
  @Get()
  async list(): Promise<ApiKeyRecord[]> {
    return this.queries.execute(new ListApiKeysQuery());
  }
}
