/** One-line descriptions of a group's data and VIPs, for its card. */
import type { DataSpec, ServiceGroup } from '../../../../shared/domain';
import { formatMinutes } from '../../components/format';
import { DATA_KIND_LABEL } from './group-fields';

/** "PostgreSQL streaming replication: /srv/pgdata, port 5432, database crm". */
export function describeData(data: DataSpec): string {
  switch (data.kind) {
    case 'none':
      return DATA_KIND_LABEL.none;
    case 'rsync':
      return `${DATA_KIND_LABEL.rsync} every ${formatMinutes(data.intervalMinutes)}: ${data.paths.join(', ')}`;
    case 'postgres':
      return `${DATA_KIND_LABEL.postgres}: ${data.dataDir}, port ${data.port}, database ${data.database}`;
    case 'drbd':
      return `DRBD resource ${data.resource} (${data.device}) on ${data.mountPoint}`;
    case 'shared-disk':
      return `Shared disk ${data.device} on ${data.mountPoint}`;
    case 'backup-restore':
      return `Restore from ${data.backupPath}`;
  }
}

/** "192.0.2.10/24 on web-a eth0, web-b eth0". */
export function describeVip(vip: ServiceGroup['vips'][number], serverName: Map<number, string>): string {
  const where = vip.interfaces.map((i) => `${serverName.get(i.serverId) ?? i.serverId} ${i.interface}`).join(', ');
  return `${vip.address}/${vip.prefix}${where ? ` on ${where}` : ''}`;
}
