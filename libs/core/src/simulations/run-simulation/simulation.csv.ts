/** A simulation's rows as CSV (RFC 4180), with the ledger CSV's field writer: one line per partner and product. */
import { csvField } from '../../reports/ledger/ledger.csv';
import type { SimulationRowView } from './run-simulation.query';

export const SIMULATION_CSV_COLUMNS = [
  'partnerId',
  'productId',
  'actualCommissions',
  'actualClawbacks',
  'actualNet',
  'simulatedCommissions',
  'simulatedClawbacks',
  'simulatedNet',
  'differenceCommissions',
  'differenceClawbacks',
  'differenceNet',
] as const;

export function simulationCsv(rows: readonly SimulationRowView[]): string {
  const lines = [SIMULATION_CSV_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [
        row.partnerId,
        row.productId,
        ...(['actual', 'simulated', 'difference'] as const).flatMap((side) => [
          row[side].commissions,
          row[side].clawbacks,
          row[side].net,
        ]),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
