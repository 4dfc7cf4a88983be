export * from './app.module';
export * from './create-app';
export { AuditVerifier } from './audit/audit-verifier';
export { AuditLedgerService } from './audit/audit-ledger';
export { WriteModelQueries } from './write-model/write-model.queries';
export { ledgerReportCsv } from './reports/ledger/ledger.csv';
export { LedgerReportQuery } from './reports/ledger/ledger.query';
export { LedgerReportRequest } from './reports/ledger/ledger.request';
export { ledgerCsv } from './reports/ledger/ledger.csv';
export { NOTIFICATION_STATUSES, listNotifications } from './notifications/partner-emails/notification.views';
export * from './openapi/openapi-document';
export * from './openapi/api-docs';
export { ProblemResponse } from './openapi/problem.response';
export { ApiKeyService } from './auth/api-key.service';
export {
  RunSimulationHandler,
  RunSimulationQuery,
  type SimulationResult,
} from './simulations/run-simulation/run-simulation.query';
export { simulationRequestFrom } from './simulations/run-simulation/run-simulation.request';
export { simulationCsv } from './simulations/run-simulation/simulation.csv';
