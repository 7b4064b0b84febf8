/**
 * One service function per contract method, gathered from each area. The type makes a missing
 * handler a compile error; the contract test checks the same at run time. Every change is audited
 * (change-audit.ts).
 */
import type { Handlers } from './handler-types';
import { workspaceHandlers } from './workspace-handlers';
import { planHandlers } from './plan-handlers';
import { hostHandlers } from './host-handlers';
import { checkHandlers } from './check-handlers';
import { alertHandlers } from './alert-handlers';
import { failoverHandlers } from './failover-handlers';
import { lockHandlers } from './lock-handlers';
import { heartbeatHandlers } from './heartbeat-handlers';
import { testRecoveryHandlers } from './test-recovery-handlers';
import { recoveryHandlers } from './recovery-handlers';
import { syncHandlers } from './sync-handlers';
import { reprotectHandlers } from './reprotect-handlers';
import { importSshConfigHosts } from './ssh-import';
import { auditChanges } from './change-audit';

export type { Handler, Handlers, HandlersFor } from './handler-types';

export const handlers: Handlers = auditChanges({
  ...workspaceHandlers,
  ...planHandlers,
  ...hostHandlers,
  ...checkHandlers,
  ...alertHandlers,
  ...failoverHandlers,
  ...lockHandlers,
  ...heartbeatHandlers,
  ...testRecoveryHandlers,
  ...recoveryHandlers,
  ...syncHandlers,
  ...reprotectHandlers,
  'servers.importSshConfig': (ctx, input) => importSshConfigHosts(ctx, input),
});
