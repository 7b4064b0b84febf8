/** memory: the share of RAM in use (Linux: MemAvailable; OpenBSD: free pages). */
import { sh } from '../ssh/quote';
import { judgeSingle, levelStatus, numberField, ownServer, round, type CheckKindModule } from './kind';
import { byOs, checkScript } from './script';

/** The memory check kind. */
export const memoryKind: CheckKindModule<'memory'> = {
  kind: 'memory',
  targets: ownServer,
  script(_params, server) {
    return checkScript(
      byOs(server, {
        linux: sh`while read -r key value unit; do
  case $key in MemTotal:) echo "total_kb=$value" ;; MemAvailable:) echo "available_kb=$value" ;; esac
done < /proc/meminfo`,
        openbsd: sh`echo "total_kb=$(( $(sysctl -n hw.physmem) / 1024 ))"
vmstat -s | awk '/bytes per page/ { size = $1 } /pages free/ { free = $1 } END { print "available_kb=" int(free * size / 1024) }'`,
      }),
    );
  },
  evaluate(observations, ctx) {
    const { warnPercent, failPercent } = ctx.check.params;
    return judgeSingle(observations, (fields, { server }) => {
      const total = numberField(fields, 'total_kb');
      const available = numberField(fields, 'available_kb');
      if (!total || available === undefined)
        return { status: 'unknown', summary: `could not read the memory of ${server.name}`, metrics: {} };
      const usedPercent = round((1 - Math.min(available, total) / total) * 100, 1);
      const status = levelStatus(usedPercent, warnPercent, failPercent);
      return {
        status,
        summary: `${server.name}: memory ${usedPercent} % used of ${round(total / 1048576, 1)} GiB${status === 'ok' ? '' : ` (${status} at ${status === 'fail' ? failPercent : warnPercent} %)`}`,
        metrics: { usedPercent, totalGb: round(total / 1048576, 1) },
      };
    });
  },
};
