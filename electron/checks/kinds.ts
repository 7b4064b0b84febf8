/** Every check kind by name: the scheduler looks a check's module up here. */
import type { CheckKind } from '../../shared/checks';
import type { CheckKindModule } from './kind';
import { diskKind } from './disk';
import { driftKind } from './drift';
import { freshnessKind } from './freshness';
import { httpKind } from './http';
import { loadKind } from './load';
import { memoryKind } from './memory';
import { postgresKind } from './postgres';
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
  drift: driftKind,
};

/** The module of a kind, typed for any check. */
export function moduleOf(kind: CheckKind): CheckKindModule {
  return CHECK_KIND_MODULES[kind] as unknown as CheckKindModule;
}
