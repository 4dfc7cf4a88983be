import { EventStore1700000000000 } from './1700000000000-event-store';
import { ApiKeys1700000000100 } from './1700000000100-api-keys';
import { WriteModel1700000000200 } from './1700000000200-write-model';
import { Reports1700000000300 } from './1700000000300-reports';
import { AuditChain1700000000400 } from './1700000000400-audit-chain';
import { ServiceSecrets1700000000500 } from './1700000000500-service-secrets';
import { Payouts1700000000600 } from './1700000000600-payouts';
import { SetBasedAppend1700000000700 } from './1700000000700-set-based-append';
import { LedgerEventsIndex1700000000800 } from './1700000000800-ledger-events-index';
import { Collateral1700000000900 } from './1700000000900-collateral';
import { SharedSignInLimits1700000001100 } from './1700000001100-shared-sign-in-limits';
import { NotificationsWebhooks1700000001300 } from './1700000001300-notifications-webhooks';
import { LedgerEntryIdentity1700000001310 } from './1700000001310-ledger-entry-identity';
import { LeaseAcquisitions1700000001700 } from './1700000001700-lease-acquisitions';
import { ReadSideRollups1700000001800 } from './1700000001800-read-side-rollups';
import { WriteModelProjection1700000001950 } from './1700000001950-write-model-projection';
import { AppendRepeatedStreams1700000001960 } from './1700000001960-append-repeated-streams';
import { SetBasedExactVersions1700000001970 } from './1700000001970-set-based-exact-versions';
import { AppendInTransaction1700000001980 } from './1700000001980-append-in-transaction';
import { LinkStatsVisitorYears1700000002000 } from './1700000002000-link-stats-visitor-years';

/** Every migration, oldest first. A new one is added here and never edited once released. */
export const MIGRATIONS = [
  EventStore1700000000000,
  ApiKeys1700000000100,
  WriteModel1700000000200,
  Reports1700000000300,
  AuditChain1700000000400,
  ServiceSecrets1700000000500,
  Payouts1700000000600,
  SetBasedAppend1700000000700,
  LedgerEventsIndex1700000000800,
  Collateral1700000000900,
  SharedSignInLimits1700000001100,
  NotificationsWebhooks1700000001300,
  LedgerEntryIdentity1700000001310,
  LeaseAcquisitions1700000001700,
  ReadSideRollups1700000001800,
  WriteModelProjection1700000001950,
  AppendRepeatedStreams1700000001960,
  SetBasedExactVersions1700000001970,
  AppendInTransaction1700000001980,
  LinkStatsVisitorYears1700000002000,
];
