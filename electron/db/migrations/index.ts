/** Every migration in order. A new one is a new numbered file added here. */
import { inventory } from './0001-inventory';
import { hostKeys } from './0002-host-keys';
import { planRevisions } from './0003-plan-revisions';
import { checks } from './0004-checks';
import { runbooksAndAudit } from './0005-runbooks-and-audit';
import { sshPasswords } from './0006-ssh-passwords';
import { openCheckKinds } from './0007-open-check-kinds';
import { lockHeartbeat } from './0008-lock-heartbeat';
import { planAuditAnchor } from './0009-plan-audit-anchor';
import { alerting } from './0010-alerting';
import { testRecoveries } from './0011-test-recoveries';
import { groupState } from './0012-group-state';
import type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [
  inventory,
  hostKeys,
  planRevisions,
  checks,
  runbooksAndAudit,
  sshPasswords,
  openCheckKinds,
  lockHeartbeat,
  planAuditAnchor,
  alerting,
  testRecoveries,
  groupState,
];
export type { Migration };
