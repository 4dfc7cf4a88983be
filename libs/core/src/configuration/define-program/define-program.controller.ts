import { Body, Controller, Param, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiTags,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { type Caller, CurrentCaller } from '../../auth/caller';
import { Roles } from '../../auth/roles.decorator';
import { definedFields } from '../configuration.validation';
import { DefineProgramCommand } from './define-program.command';
import { DefineProgramRequest, RuleDocument } from './define-program.request';
import { ProgramWrittenResponse } from '../configuration.responses';
import { ApiProblems } from '../../openapi/api-docs';

@ApiTags('Programs')
@ApiBearerAuth()
@ApiExtraModels(RuleDocument)
@Controller('v1/programs')
export class DefineProgramController {
  constructor(private readonly commands: CommandBus) {}

  /** 201 with the program; a retry with the same id and content answers the same, other content 409. */
  @ApiOperation({
    summary: 'Define a program',
    description: 'A retry with the same id and content answers the same program.',
  })
  @ApiCreatedResponse({ type: ProgramWrittenResponse })
  @ApiProblems({ 409: 'The id is taken by a program with other content' })
  @Roles()
  @Post()
  async create(
    @Body() body: DefineProgramRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<ProgramWrittenResponse> {
    const { program, position } = await this.commands.execute(
      new DefineProgramCommand('create', undefined, definedFields(body), caller),
    );
    return { ...program, position };
  }

  /** Replaces an existing program (404 when unknown); applies to collections processed from now on. */
  @ApiOperation({
    summary: 'Replace a program',
    description: 'Applies to collections processed from now on.',
  })
  @ApiOkResponse({ type: ProgramWrittenResponse })
  @ApiProblems({ 404: 'No such program' })
  @Roles()
  @Put(':id')
  async replace(
    @Param('id') id: string,
    @Body() body: DefineProgramRequest,
    @CurrentCaller() caller?: Caller,
  ): Promise<ProgramWrittenResponse> {
    const { program, position } = await this.commands.execute(
      new DefineProgramCommand('replace', id, definedFields(body), caller),
    );
    return { ...program, position };
  }
}
