import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiTags,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { notFound } from '@app/platform';
import { ApiKeyService, type KeyRole } from './api-key.service';
import { actorOf, type Caller, CurrentCaller } from './caller';
import { Roles } from './roles.decorator';
import { ApiKeyCreatedResponse, ApiKeyResponse } from './auth.responses';
import { ApiProblems } from '../openapi/api-docs';

export class CreateApiKeyRequest {
  @IsString()
  @Length(1, 100)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'must use only A-Za-z0-9._:-' })
  name!: string;

  @IsIn(['admin', 'ingest', 'auditor'])
  role!: KeyRole;
}

@ApiTags('Operations')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @ApiOperation({ summary: 'Create an API key', description: 'The key is in this answer only.' })
  @ApiCreatedResponse({ type: ApiKeyCreatedResponse })
  @Roles()
  @Post()
  async create(
    @Body() body: CreateApiKeyRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<ApiKeyCreatedResponse> {
    return this.keys.create(body.name, body.role, actorOf(caller));
  }

  @ApiOperation({ summary: 'List the API keys (never the keys themselves)' })
  @ApiOkResponse({ type: [ApiKeyResponse] })
  @Roles()
  @Get()
  async list(): Promise<ApiKeyResponse[]> {
    return this.keys.list();
  }

  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiNoContentResponse({ description: 'Revoked (again: still 204)' })
  @ApiProblems({ 404: 'No such key' })
  @Roles()
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/.test(id) || !(await this.keys.revoke(id))) throw notFound(`No API key ${id}`);
  }
}
