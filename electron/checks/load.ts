/** load: the load average per CPU core (judged on the 5-minute average, which a burst does not trip). */
import { sh } from '../ssh/quote';
import { field, judgeSingle, levelStatus, ownServer, round, type CheckKindModule } from './kind';
import { byOs, checkScript } from './script';

/** The load check kind. */
export const loadKind: CheckKindModule<'load'> = {
  kind: 'load',
  targets: ownServer,
  script(_params, server) {
    return checkScript(
      byOs(server, {
        linux: sh`read one five fifteen rest < /proc/loadavg
echo "load=$one $five $fifteen"
echo "cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc)"`,
        openbsd: sh`echo "load=$(sysctl -n vm.loadavg)"
echo "cpus=$(sysctl -n hw.ncpuonline)"`,
      }),
    );
  },
  evaluate(observations, ctx) {
    const { warnPerCore, failPerCore } = ctx.check.params;
    return judgeSingle(observations, (fields, { server }) => {
      const loads = (field(fields, 'load') ?? '').trim().split(/\s+/).map((v) => (/^[0-9]+(\.[0-9]+)?$/.test(v) ? Number(v) : NaN));
      const cpus = Number(field(fields, 'cpus'));
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
