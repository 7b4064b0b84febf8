/** Every action kind, by name: the engine looks the module up here. */
import type { ActionKind } from '../../../shared/runbooks';
import type { ActionModule } from './kit';
import { vipRelease } from './vip-release';
import { vipAcquire } from './vip-acquire';
import { vipListen } from './vip-listen';
import { vipWatch } from './vip-watch';
import { rsyncSync } from './rsync-sync';
import { postgresPromote } from './postgres-promote';
import { postgresRebuild } from './postgres-rebuild';
import { postgresStreaming } from './postgres-streaming';
import { serviceRestart, serviceStart, serviceStop } from './service';
import { waitCheck } from './wait-check';
import { commandRun } from './command-run';
import { syncPause, syncResume } from './sync-pause';

export const ACTIONS: { [K in ActionKind]: ActionModule<K> } = {
  'vip.listen': vipListen,
  'vip.release': vipRelease,
  'vip.acquire': vipAcquire,
  'vip.watch': vipWatch,
  'rsync.sync': rsyncSync,
  'postgres.promote': postgresPromote,
  'postgres.rebuild': postgresRebuild,
  'postgres.streaming': postgresStreaming,
  'service.stop': serviceStop,
  'service.start': serviceStart,
  'service.restart': serviceRestart,
  'wait.check': waitCheck,
  'command.run': commandRun,
  'sync.pause': syncPause,
  'sync.resume': syncResume,
};

/** The module of a kind, typed loosely for the engine (params were validated by the schema). */
export function actionModule(kind: ActionKind): ActionModule<ActionKind> {
  return ACTIONS[kind] as unknown as ActionModule<ActionKind>;
}

export type { ActionModule, ActionResult, StepEnvironment, PlanEnvironment } from './kit';
