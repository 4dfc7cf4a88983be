import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applySettingsPatch, assertCurrencyChangeAllowed, domainEvent } from '@app/domain';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { Database, badRequest } from '@app/platform';
import { actorOf } from '../../auth/caller';
import { EventWriter } from '../../write-model/event-writer';
import { WriteModelQueries } from '../../write-model/write-model.queries';
import { checkPrograms } from '../partner-rules';
import { SETTINGS_STREAM, lockStream, streamPosition } from '../configuration.streams';
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

  async execute({ patch, caller }: ChangeSettingsCommand): Promise<SettingsWritten> {
    return this.database.transaction(async (tx) => {
      // Concurrent patches apply one after the other, each to the settings the previous one left.
      await lockStream(tx, SETTINGS_STREAM);
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
      const written = await this.writer.writeOne(
        { streamId: SETTINGS_STREAM, event: domainEvent('SettingsChanged', { settings, changedKeys }) },
        { actor: actorOf(caller) },
        tx,
      );
      return { settings, position: written.position };
    });
  }
}
