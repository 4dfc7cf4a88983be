import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiProblems } from '../../openapi/api-docs';
import { PartnerTokenResponse } from '../auth.responses';
import { Public } from '../roles.decorator';
import { type PartnerToken, SignInCommand } from './sign-in.command';
import { LoginRequest } from './sign-in.request';

@ApiTags('Partner Center')
@Controller('v1/partner-center')
export class LoginController {
  constructor(private readonly commands: CommandBus) {}

  @ApiOperation({
    summary: 'Sign in to the Partner Center',
    description:
      'Code and password; answers a token valid for 8 hours. Failed sign-ins are limited per code and per IP.',
  })
  @ApiOkResponse({ type: PartnerTokenResponse })
  @ApiProblems({
    401: 'Unknown partner code or wrong password',
    403: 'pending-approval (a sign-up not approved yet) or partner-not-active',
    429: 'Too many failed sign-ins; see `Retry-After`',
  })
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginRequest, @Req() request: Request): Promise<PartnerToken> {
    return this.commands.execute(new SignInCommand(body.code, body.password, request.ip ?? 'unknown'));
  }
}
