/**
 * Every check kind's module, one line each: the scheduler, the planner, validation, alerts and the
 * default checks look a kind up here. The mapped type makes a kind of the shared list without a
 * module (or a module under the wrong kind) a compile error.
 */
import { CHECK_KINDS, type CheckKind } from '../../shared/checks';
import type { CheckKindModule } from './kind';
import { backupKind } from './backup';
import { clockKind } from './clock';
import { diskKind } from './disk';
import { driftKind } from './drift';
import { freshnessKind } from './freshness';
import { httpKind } from './http';
import { loadKind } from './load';
import { memoryKind } from './memory';
import { postgresKind } from './postgres';
import { restoreKind } from './restore';
import { serviceKind } from './service';
import { sshKind } from './ssh';
import { tcpKind } from './tcp';
import { vipKind } from './vip';

/** Each kind's module, keyed by kind. */
export const CHECK_KIND_MODULES: { readonly [K in CheckKind]: CheckKindModule<K> } = {
  tcp: tcpKind,
  http: httpKind,
  ssh: sshKind,
  service: serviceKind,
  disk: diskKind,
  load: loadKind,
  memory: memoryKind,
  vip: vipKind,
  postgres: postgresKind,
  freshness: freshnessKind,
  backup: backupKind,
  restore: restoreKind,
  drift: driftKind,
  clock: clockKind,
};

/** The module of a kind, typed for any check. */
export function moduleOf(kind: CheckKind): CheckKindModule {
  return CHECK_KIND_MODULES[kind] as unknown as CheckKindModule;
}

/** Every module, in the shared list's order. */
export const CHECK_KIND_LIST: readonly CheckKindModule[] = CHECK_KINDS.map(moduleOf);
