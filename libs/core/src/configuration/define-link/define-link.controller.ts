import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { DefineLinkCommand } from './define-link.command';
import { DefineLinkRequest, linkFromRequest } from './define-link.request';
import { LinkWrittenResponse } from '../configuration.responses';
import { ApiProblems } from '../../openapi/api-docs';

@ApiTags('Links and ads')
@ApiBearerAuth()
@Controller('v1/links')
export class DefineLinkController {
  constructor(private readonly commands: CommandBus) {}

  /** 201 with the link; 409 code taken or id reused with other content; 422 unknown program. */
  @ApiOperation({ summary: 'Define a tracking link' })
  @ApiCreatedResponse({ type: LinkWrittenResponse })
  @ApiProblems({ 409: 'The code is taken, or the id is reused with other content', 422: 'Unknown program' })
  @Roles()
  @Post()
  async define(
    @Body() body: DefineLinkRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<LinkWrittenResponse> {
    const { link, position } = await this.commands.execute(
      new DefineLinkCommand(linkFromRequest(body), caller),
    );
    return { ...link, position };
  }
}
