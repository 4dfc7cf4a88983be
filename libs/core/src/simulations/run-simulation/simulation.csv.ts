/** A simulation's rows as CSV (RFC 4180), with the ledger CSV's field writer: one line per partner and product. */
import { csvDocument } from '../../reports/shared/csv';
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
  return csvDocument(
    SIMULATION_CSV_COLUMNS,
    rows.map((row) => [
      row.partnerId,
      row.productId,
      ...(['actual', 'simulated', 'difference'] as const).flatMap((side) => [
        row[side].commissions,
        row[side].clawbacks,
        row[side].net,
      ]),
    ]),
  );
}
