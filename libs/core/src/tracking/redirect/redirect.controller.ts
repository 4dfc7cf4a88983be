/**
 * The tracking link: records the click, gives the browser a visitor cookie, sends it on to the
 * destination. HEAD (link checkers, previews) answers the same redirect without a body and records
 * nothing: no click, no cookie.
 *
 * The click is a LinkClicked envelope through the ingest pipeline, group-committed with the clicks and
 * single-envelope requests arriving at the same moment (GroupCommitter); the redirect is sent after that
 * commit, so an answered click is recorded.
 */
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../auth/roles.decorator';
import { ApiProblems } from '../../openapi/api-docs';
import { RedirectCommand, type Visit } from './redirect.command';

export const VISITOR_COOKIE = 'rp_vid';

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function clientIp(request: Request): string | null {
  const ip = request.ip ?? request.socket.remoteAddress ?? null;
  return ip?.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** The visit a GET tells of; a HEAD records nothing, so it has none. */
function visitOf(request: Request): Visit | null {
  if (request.method === 'HEAD') return null;
  return {
    presentedVisitorId: cookieValue(request.headers.cookie, VISITOR_COOKIE),
    ip: clientIp(request),
    userAgent: request.headers['user-agent']?.slice(0, 1000),
  };
}

@ApiTags('Tracking')
@Controller('r')
export class RedirectController {
  constructor(private readonly commands: CommandBus) {}
  @ApiOperation({
    summary: 'Follow a tracking link',
    description:
      'Records a click, sets the `rp_vid` visitor cookie (HttpOnly, SameSite=Lax) and redirects to the destination with `affiliate=<partnerId>`. `partnerRef` is the code prefix + the partner code (any case).',
  })
  @ApiQuery({
    name: 'ad',
    required: false,
    type: String,
    description: "One of the partner's ads on this link; an unknown or foreign ad is ignored",
  })
  @ApiResponse({
    status: 302,
    description: 'To the destination',
    headers: {
      Location: {
        description: 'The destination URL with affiliate=<partnerId>',
        schema: { type: 'string', format: 'uri' },
      },
      'Set-Cookie': { description: 'rp_vid=<visitor id>', schema: { type: 'string' } },
    },
  })
  @ApiProblems({ 404: 'No such partner or link (nothing recorded)' })
  @Public()
  @Get(':partnerRef/:linkCode')
  async follow(
    @Param('partnerRef') partnerRef: string,
    @Param('linkCode') linkCode: string,
    @Query('ad') adId: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { destination, visitor } = await this.commands.execute(
      new RedirectCommand(
        { partnerRef, linkCode, adId: typeof adId === 'string' && adId !== '' ? adId : null },
        visitOf(request),
      ),
    );
    if (visitor)
      response.cookie(VISITOR_COOKIE, visitor.id, {
        httpOnly: true,
        sameSite: 'lax',
        secure: request.secure,
        path: '/',
        maxAge: Math.max(1, visitor.cookieDays) * 86_400_000,
      });
    response.setHeader('Cache-Control', 'no-store');
    response.redirect(302, destination);
  }
}
