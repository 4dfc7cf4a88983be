/** Checks shared by enrolling and changing a partner: the parent chain and the programs must exist. */
import { DomainRuleViolation, assertValidParent } from '@app/domain';
import type { Queryable } from '@app/platform';
import type { WriteModelQueries } from '../write-model/write-model.queries';

/** Serializes every change of the partner tree, so that two concurrent changes cannot build a cycle. */
export async function lockPartnerTree(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('partner-tree'))`);
}

/** Throws a 422 DomainRuleViolation unless `parentId` may be the parent of `partnerId`. */
export async function checkParent(
  queries: WriteModelQueries,
  partnerId: string,
  parentId: string,
  tx: Queryable,
): Promise<void> {
  const parents = await queries.parentMap(tx);
  assertValidParent(partnerId, parentId, (id) => parents.get(id));
}

/** Throws a 422 DomainRuleViolation naming the first unknown program. */
export async function checkPrograms(
  queries: WriteModelQueries,
  programIds: readonly string[],
  tx: Queryable,
  field = 'programIds',
): Promise<void> {
  const known = await queries.programsByIds(programIds, tx);
  const index = programIds.findIndex((id) => !known.has(id));
  if (index >= 0) {
    throw new DomainRuleViolation(
      'unknown-program',
      `unknown program ${programIds[index]}`,
      `${field}[${index}]`,
    );
  }
}
