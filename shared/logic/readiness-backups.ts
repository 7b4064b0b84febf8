/**
 * Readiness of a service's backups: every service with data (an RPO, run in-house) needs a backup
 * check (where its backups land and how fresh they must be), and a restore test that has passed.
 * A backup nobody has restored is a hope, not a backup.
 */
import type { Service } from '../domain';
import type { BackupFacts, ReadinessCode, ReadinessEvidence } from './readiness-model';

type Add = (code: ReadinessCode, text: string, fix: string, groupId?: number | null) => void;

/** Whether a fact (a check) belongs to the service: named for it, or on its group. */
const covers = (fact: BackupFacts, service: Service) =>
  fact.serviceId === service.id || (fact.groupId !== null && fact.groupId === service.groupId);

/** The backup findings of one service; none while the backup evidence is absent (not yet gathered). */
export function backupReasons(service: Service, evidence: ReadinessEvidence, add: Add): void {
  const backups = evidence.backups;
  if (backups === undefined || service.rpoMinutes === null || service.hostedBy.trim() !== '') return;
  const mine = backups.filter((b) => covers(b, service));
  if (!mine.some((b) => b.kind === 'backup')) {
    add(
      'no_backup',
      `"${service.name}" has data (an RPO of ${service.rpoMinutes} min) and no backup check: nothing says a backup exists`,
      `Add a backup check for "${service.name}" (Health: where its backups land and how fresh they must be)`,
      service.groupId,
    );
  }
  if (!mine.some((b) => b.kind === 'restore' && b.passedAt !== null)) {
    const failing = mine.some((b) => b.kind === 'restore');
    add(
      'never_restored',
      failing
        ? `No restore test of "${service.name}" has passed yet`
        : `The backups of "${service.name}" were never restored: no restore test`,
      `Add a restore test for "${service.name}" (Health: restore a sample of the newest backup on a schedule) and make it pass`,
      service.groupId,
    );
  }
}
