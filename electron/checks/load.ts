/** load: the load average per CPU core (judged on the 5-minute average, which a burst does not trip). */
import { sh } from '../ssh/quote';
import { field, judgeSingle, levelStatus, membersOf, ownServer, round, type CheckKindModule } from './kind';
import { byOs, checkScript } from './script';

/** How many CPUs a kernel CPU list names ("0-3,6" → 5); NaN when it is not one. */
export function countCpuList(list: string): number {
  let count = 0;
  for (const part of list.trim().split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) return NaN;
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (last < first) return NaN;
    count += last - first + 1;
  }
  return count;
}

/** The load check kind. */
export const loadKind: CheckKindModule<'load'> = {
  kind: 'load',
  defaults: (group, inventory) =>
    membersOf(group, inventory.servers).map((host) => ({
      name: `${host.name}: load`,
      serverId: host.id,
      intervalSeconds: 60,
    })),
  targets: ownServer,
  script(_params, server) {
    return checkScript(
      byOs(server, {
        // The online CPUs as the kernel lists them ("0-3,6"), read without starting a process.
        linux: sh`read one five fifteen rest < /proc/loadavg
echo "load=$one $five $fifteen"
if read -r online < /sys/devices/system/cpu/online; then echo "online=$online"; else echo "cpus=$(getconf _NPROCESSORS_ONLN)"; fi`,
        openbsd: sh`echo "load=$(sysctl -n vm.loadavg)"
echo "cpus=$(sysctl -n hw.ncpuonline)"`,
      }),
    );
  },
  evaluate(observations, ctx) {
    const { warnPerCore, failPerCore } = ctx.check.params;
    return judgeSingle(observations, (fields, { server }) => {
      const loads = (field(fields, 'load') ?? '')
        .trim()
        .split(/\s+/)
        .map((v) => (/^[0-9]+(\.[0-9]+)?$/.test(v) ? Number(v) : NaN));
      const online = field(fields, 'online');
      const cpus = online === undefined ? Number(field(fields, 'cpus')) : countCpuList(online);
      if (loads.length < 3 || loads.some((n) => !Number.isFinite(n)) || !Number.isInteger(cpus) || cpus < 1) {
        return { status: 'unknown', summary: `could not read the load of ${server.name}`, metrics: {} };
      }
      const [load1, load5, load15] = loads;
      const perCore = round(load5 / cpus, 2);
      const status = levelStatus(perCore, warnPerCore, failPerCore);
      return {
        status,
        summary: `${server.name}: load ${load1} / ${load5} / ${load15} on ${cpus} cores, ${perCore} per core over 5 min${status === 'ok' ? '' : ` (${status} from ${status === 'fail' ? failPerCore : warnPerCore})`}`,
        metrics: { load1, load5, load15, cpus, perCore },
      };
    });
  },
};
