// Adds up the actual and the simulated money of a replay per partner and product. Its size grows with
// the partners and products that earned, never with the number of sales replayed.
import { sumMinor, toMinor } from '../money/money';
import type { SimulationLine } from './attempt-replay';

/** Minor units; clawbacks are positive amounts taken back, net = commissions - clawbacks. */
export type SimulationAmounts = { commissionsMinor: number; clawbacksMinor: number; netMinor: number };

export type SimulationRow = {
  partnerId: string;
  productId: string;
  actual: SimulationAmounts;
  simulated: SimulationAmounts;
  /** simulated - actual. */
  difference: SimulationAmounts;
};

export type SimulationSummary = {
  actual: SimulationAmounts;
  simulated: SimulationAmounts;
  difference: SimulationAmounts;
  rows: SimulationRow[];
};

// Running sums are exact BigInt additions (one per decided line, the hot loop of a year's replay),
// turned back into safe minor amounts once, when the summary is read (toMinor refuses anything else).
type Cell = { commissions: bigint; clawbacks: bigint };
type Entry = { partnerId: string; productId: string; actual: Cell; simulated: Cell };

const amounts = (cell: Cell): SimulationAmounts => ({
  commissionsMinor: toMinor(cell.commissions),
  clawbacksMinor: toMinor(cell.clawbacks),
  netMinor: toMinor(cell.commissions - cell.clawbacks),
});

const minus = (a: SimulationAmounts, b: SimulationAmounts): SimulationAmounts => ({
  commissionsMinor: sumMinor([a.commissionsMinor, -b.commissionsMinor]),
  clawbacksMinor: sumMinor([a.clawbacksMinor, -b.clawbacksMinor]),
  netMinor: sumMinor([a.netMinor, -b.netMinor]),
});

export class SimulationTotals {
  private readonly entries = new Map<string, Entry>();

  /** Only lines of these partners count (all when absent). */
  constructor(private readonly partnerIds: ReadonlySet<string> | null = null) {}

  add(side: 'actual' | 'simulated', lines: readonly SimulationLine[]): void {
    for (const line of lines) {
      if (this.partnerIds && !this.partnerIds.has(line.partnerId)) continue;
      const key = JSON.stringify([line.partnerId, line.productId]);
      let entry = this.entries.get(key);
      if (!entry) {
        entry = {
          partnerId: line.partnerId,
          productId: line.productId,
          actual: { commissions: 0n, clawbacks: 0n },
          simulated: { commissions: 0n, clawbacks: 0n },
        };
        this.entries.set(key, entry);
      }
      const cell = entry[side];
      if (line.kind === 'commission') cell.commissions += BigInt(line.amountMinor);
      else cell.clawbacks += BigInt(line.amountMinor);
    }
  }

  /** Rows sorted by partner, then product (code unit order, as the reports sort). */
  summary(): SimulationSummary {
    const rows = [...this.entries.values()]
      .sort((a, b) => compare(a.partnerId, b.partnerId) || compare(a.productId, b.productId))
      .map((entry): SimulationRow => {
        const actual = amounts(entry.actual);
        const simulated = amounts(entry.simulated);
        return {
          partnerId: entry.partnerId,
          productId: entry.productId,
          actual,
          simulated,
          difference: minus(simulated, actual),
        };
      });
    const total = (side: 'actual' | 'simulated'): SimulationAmounts => {
      const commissions = rows.reduce((sum, row) => sum + BigInt(row[side].commissionsMinor), 0n);
      const clawbacks = rows.reduce((sum, row) => sum + BigInt(row[side].clawbacksMinor), 0n);
      return amounts({ commissions, clawbacks });
    };
    const actual = total('actual');
    const simulated = total('simulated');
    return { actual, simulated, difference: minus(simulated, actual), rows };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
