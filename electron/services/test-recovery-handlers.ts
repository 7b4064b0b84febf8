/** Service functions for the test recovery (the work is in electron/failover/test-recovery.ts). */
import type { HandlersFor } from './handler-types';
import { currentActor } from '../failover/audit';
import { requireRunner } from './require-runner';
import { runTestRecovery } from '../failover/test-recovery';
import { setTestRecoverySettings, testRecoverySettings } from '../failover/test-recovery-settings';
import { latestTestRecoveries } from '../db/repositories/test-recoveries';

type TestRecoveryMethod =
  'recovery.test' | 'recovery.testResults' | 'recovery.testSettings' | 'recovery.setTestSettings';

export const testRecoveryHandlers: HandlersFor<TestRecoveryMethod> = {
  'recovery.test': (ctx, { groupIds }) =>
    runTestRecovery({ db: ctx.db, runner: requireRunner(ctx), actor: currentActor(), trigger: 'operator' }, groupIds),
  'recovery.testResults': (ctx) => latestTestRecoveries(ctx.db),
  'recovery.testSettings': (ctx) => testRecoverySettings(ctx.db),
  'recovery.setTestSettings': (ctx, settings) => setTestRecoverySettings(ctx.db, settings),
};
