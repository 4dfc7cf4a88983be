import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { Partner } from '@app/domain';
import { notFound } from '@app/platform';
import { GroupCommitter } from '../../ingest/group-commit/group-committer';
import type { IngestEnvelope } from '../../ingest/ingest-slice';
import { ClickTargets } from './click-targets';
import { type RedirectAnswer, RedirectCommand } from './redirect.command';

const VISITOR_ID = /^[A-Za-z0-9_-]{8,100}$/;
/** "Forever" for a partner without leadCookieDays: ten years. */
const LONG_LIVED_DAYS = 3650;

@CommandHandler(RedirectCommand)
export class RedirectHandler implements ICommandHandler<RedirectCommand> {
  constructor(
    private readonly targets: ClickTargets,
    private readonly groups: GroupCommitter,
  ) {}

  async execute({ url, visit }: RedirectCommand): Promise<RedirectAnswer> {
    const { partner, link, ad } = await this.targets.find(url);
    const destination = destinationFor(link.destinationUrl, partner);
    if (!visit) return { destination, visitor: null };

    const visitorId =
      visit.presentedVisitorId !== null && VISITOR_ID.test(visit.presentedVisitorId)
        ? visit.presentedVisitorId
        : `v_${randomUUID().replace(/-/g, '')}`;
    const click: IngestEnvelope<'LinkClicked'> = {
      eventId: `click-${randomUUID()}`,
      type: 'LinkClicked',
      occurredAt: new Date().toISOString(),
      data: {
        partnerId: partner.id,
        linkId: link.id,
        ...(ad ? { adId: ad.id } : {}),
        visitorId,
        ...(visit.ip !== null ? { ip: visit.ip } : {}),
        ...(visit.userAgent !== undefined ? { userAgent: visit.userAgent } : {}),
      },
    };
    const [result] = await this.groups.submit([click], { actor: 'tracking-redirect' });
    // Only when the partner, link or ad went away since the look-ups above: nothing was recorded.
    if (result?.status === 'rejected') throw notFound(result.error?.detail ?? `No link ${url.linkCode}`);
    return { destination, visitor: { id: visitorId, cookieDays: partner.leadCookieDays ?? LONG_LIVED_DAYS } };
  }
}

function destinationFor(destinationUrl: string, partner: Pick<Partner, 'id'>): string {
  const target = new URL(destinationUrl);
  target.searchParams.set('affiliate', partner.id);
  return target.toString();
}
