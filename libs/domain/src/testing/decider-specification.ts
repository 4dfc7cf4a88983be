// given(events) / when(command) / then(events) for deciders, after emmett's DeciderSpecification.
import { DomainRuleViolation } from '../errors/domain-rule-violation';
import type { DomainRuleCode } from '../errors/domain-rule-violation';

export type Decider<State, Command, Event> = {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: Command, state: State) => Event[];
};

type DeciderOutcome<Event> = {
  then(expected: readonly Event[]): void;
  thenNothingHappens(): void;
  thenEvents(check: (events: Event[]) => void): void;
  thenThrows(code: DomainRuleCode, path?: string): void;
};

type GivenEvents<Command, Event> = (givenEvents?: readonly Event[]) => {
  when(command: Command): DeciderOutcome<Event>;
};

export const DeciderSpecification = {
  for<State, Command, Event>(decider: Decider<State, Command, Event>): GivenEvents<Command, Event> {
    return (givenEvents: readonly Event[] = []) => ({
      when(command: Command) {
        const run = () => decider.decide(command, givenEvents.reduce(decider.evolve, decider.initialState()));
        return {
          then(expected: readonly Event[]): void {
            expect(run()).toEqual(expected);
          },
          thenNothingHappens(): void {
            expect(run()).toEqual([]);
          },
          /** For outcomes too long to spell out: inspect the events. */
          thenEvents(check: (events: Event[]) => void): void {
            check(run());
          },
          thenThrows(code: DomainRuleCode, path?: string): void {
            let thrown: unknown;
            try {
              run();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(DomainRuleViolation);
            expect((thrown as DomainRuleViolation).code).toBe(code);
            if (path !== undefined) expect((thrown as DomainRuleViolation).path).toBe(path);
          },
        };
      },
    });
  },
};
