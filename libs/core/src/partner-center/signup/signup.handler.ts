import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { decideSignUp } from '@app/domain';
import { Database, ProblemError, conflict } from '@app/platform';
import { partnerStream } from '../../configuration/configuration.streams';
import { PartnerCredentials } from '../../configuration/partner-credentials';
import { lockPartnerTree } from '../../configuration/partner-rules';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { type SignedUp, SignUpCommand } from './signup.command';

const SIGNUP_ACTOR = 'partner-center:signup';

const closed = (): ProblemError =>
  new ProblemError(404, 'Partner sign-up is not open', undefined, {}, 'signup-closed');

@CommandHandler(SignUpCommand)
export class SignUpHandler implements ICommandHandler<SignUpCommand> {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
    private readonly credentials: PartnerCredentials,
  ) {}

  async execute({ request }: SignUpCommand): Promise<SignedUp> {
    if (!(await this.queries.settings()).signup.enabled) throw closed();
    const passwordHash = await PartnerCredentials.hashPassword(request.password);
    return this.database.transaction(async (tx) => {
      await lockPartnerTree(tx);
      const { signup } = await this.queries.settings(tx);
      if (!signup.enabled) throw closed();
      if (await this.queries.partnerByCode(request.code, tx)) {
        throw conflict(`The partner code ${request.code} is taken`, 'code-taken');
      }
      const recruitedBy = request.recruitedBy ?? null;
      const recruiter = recruitedBy === null ? null : await this.queries.partnerByCode(recruitedBy, tx);
      const partnerId = randomUUID();
      const events = decideSignUp({
        request: {
          partnerId,
          code: request.code,
          name: request.name.trim(),
          email: request.email,
          recruitedBy,
        },
        signup,
        recruiter,
      });
      const occurredAt = new Date().toISOString();
      const written = await this.writer.write(
        [
          {
            streamId: partnerStream(partnerId),
            expectedVersion: 'no-stream',
            events: events.map((event) => ({ eventId: randomUUID(), event, occurredAt })),
          },
        ],
        { actor: SIGNUP_ACTOR },
        tx,
      );
      await this.credentials.store(partnerId, passwordHash, tx);
      const partner = await this.queries.partner(partnerId, tx);
      if (!partner) throw new Error(`Partner ${partnerId} is missing from the write model after its sign-up`);
      return {
        partnerId,
        code: request.code,
        status: partner.status,
        parentId: partner.parentId,
        position: written.position,
      };
    });
  }
}
