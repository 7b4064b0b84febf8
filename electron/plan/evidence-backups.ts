/** Backup evidence for readiness: each enabled backup check and restore test, and when a restore test last passed. */
import type { Db } from '../db/connection';
import type { BackupFacts } from '../../shared/logic/readiness';
import { lastOkAt, listChecks } from '../db/repositories/checks';

/** The backup checks and restore tests of the workspace. */
export function backupEvidence(db: Db): BackupFacts[] {
  const passed = lastOkAt(db);
  return listChecks(db)
    .filter((c) => c.enabled && (c.kind === 'backup' || c.kind === 'restore'))
    .map((c) => ({
      kind: c.kind as BackupFacts['kind'],
      groupId: c.groupId,
      serviceId: c.serviceId,
      passedAt: c.kind === 'restore' ? (passed.get(c.id) ?? null) : null,
    }));
}
