import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { applySettingsPatch, assertCurrencyChangeAllowed, domainEvent } from '@app/domain';
import { ConcurrencyError, EVENT_STORE, type EventStore } from '@app/event-store';
import { Database, badRequest } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { checkPrograms } from '../partner-rules';
import { SETTINGS_STREAM, streamPosition } from '../configuration.streams';
import { lockSettlementCurrency, moneyRecorded } from '../settlement-currency';
import { ChangeSettingsCommand, type SettingsWritten } from './change-settings.command';

@CommandHandler(ChangeSettingsCommand)
export class ChangeSettingsHandler implements ICommandHandler<ChangeSettingsCommand> {
  constructor(
    private readonly database: Database,
    private readonly queries: WriteModelQueries,
    private readonly writer: EventWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute(command: ChangeSettingsCommand): Promise<SettingsWritten> {
    try {
      return await this.change(command);
    } catch (error) {
      // Only the first patches can race on the stream's version: the stream (and the lock on it) did not
      // exist yet. Once more, the patch applies to what the winner left, under the lock.
      if (error instanceof ConcurrencyError) return this.change(command);
      throw error;
    }
  }

  private async change({ patch, caller }: ChangeSettingsCommand): Promise<SettingsWritten> {
    return this.database.transaction(async (tx) => {
      // Concurrent patches apply one after the other, each to the settings the previous one left: the
      // store's lock on the stream, and its version for the first patch (before the stream exists).
      await this.store.lockStreams([SETTINGS_STREAM], tx);
      const version = (await this.store.readStream(SETTINGS_STREAM, tx)).length;
      const current = await this.queries.settings(tx);
      const result = applySettingsPatch(current, patch);
      if (!result.ok) throw badRequest('The settings are not valid', result.errors);
      const { settings, changedKeys } = result.value;
      if (settings.currency !== current.currency) {
        // Money once recorded stays: then the change is refused at once. Else wait for the transactions
        // that may be recording some right now, and look again.
        assertCurrencyChangeAllowed(current, settings, await moneyRecorded(tx));
        await lockSettlementCurrency(tx);
        assertCurrencyChangeAllowed(current, settings, await moneyRecorded(tx));
      }
      if (changedKeys.includes('signup.programIds')) {
        await checkPrograms(this.queries, settings.signup.programIds, tx, 'signup.programIds');
      }
      if (changedKeys.length === 0) {
        return { settings: current, position: await streamPosition(this.store, SETTINGS_STREAM, tx) };
      }
      const written = await this.writer.write(
        [
          {
            streamId: SETTINGS_STREAM,
            expectedVersion: version,
            events: [
              {
                eventId: randomUUID(),
                event: domainEvent('SettingsChanged', { settings, changedKeys }),
                occurredAt: new Date().toISOString(),
              },
            ],
          },
        ],
        { actor: actorOf(caller) },
        tx,
      );
      return { settings, position: written.position };
    });
  }
}
