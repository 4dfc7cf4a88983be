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
import { ApiTags, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Partner } from '@app/domain';
import { notFound } from '@app/platform';
import { Public } from '../../auth/roles.decorator';
import type { IngestEnvelope } from '../../ingest/ingest-slice';
import { GroupCommitter } from '../../ingest/group-commit/group-committer';
import { ApiProblems } from '../../openapi/api-docs';
import { ClickTargets } from './click-targets';

export const VISITOR_COOKIE = 'rp_vid';
const VISITOR_ID = /^[A-Za-z0-9_-]{8,100}$/;
/** "Forever" for a partner without leadCookieDays: ten years. */
const LONG_LIVED_DAYS = 3650;

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

@ApiTags('Tracking')
@Controller('r')
export class RedirectController {
  constructor(
    private readonly targets: ClickTargets,
    private readonly groups: GroupCommitter,
  ) {}

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
    const { partner, link, ad } = await this.targets.find({
      partnerRef,
      linkCode,
      adId: typeof adId === 'string' && adId !== '' ? adId : null,
    });
    const destination = destinationFor(link.destinationUrl, partner);
    if (request.method === 'HEAD') {
      response.setHeader('Cache-Control', 'no-store');
      response.redirect(302, destination);
      return;
    }

    const presented = cookieValue(request.headers.cookie, VISITOR_COOKIE);
    const visitorId =
      presented && VISITOR_ID.test(presented) ? presented : `v_${randomUUID().replace(/-/g, '')}`;
    const ip = clientIp(request);
    const userAgent = request.headers['user-agent']?.slice(0, 1000);
    const click: IngestEnvelope<'LinkClicked'> = {
      eventId: `click-${randomUUID()}`,
      type: 'LinkClicked',
      occurredAt: new Date().toISOString(),
      data: {
        partnerId: partner.id,
        linkId: link.id,
        ...(ad ? { adId: ad.id } : {}),
        visitorId,
        ...(ip !== null ? { ip } : {}),
        ...(userAgent !== undefined ? { userAgent } : {}),
      },
    };
    const [result] = await this.groups.submit([click], { actor: 'tracking-redirect' });
    // Only when the partner, link or ad went away since the look-ups above: nothing was recorded.
    if (result?.status === 'rejected') throw notFound(result.error?.detail ?? `No link ${linkCode}`);
    const cookieDays = partner.leadCookieDays ?? LONG_LIVED_DAYS;

    response.cookie(VISITOR_COOKIE, visitorId, {
      httpOnly: true,
      sameSite: 'lax',
      secure: request.secure,
      path: '/',
      maxAge: Math.max(1, cookieDays) * 86_400_000,
    });
    response.setHeader('Cache-Control', 'no-store');
    response.redirect(302, destination);
  }
}

function destinationFor(destinationUrl: string, partner: Pick<Partner, 'id'>): string {
  const target = new URL(destinationUrl);
  target.searchParams.set('affiliate', partner.id);
  return target.toString();
}
