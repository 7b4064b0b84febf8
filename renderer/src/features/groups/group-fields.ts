/** The service-group form's state (members, VIPs, data, processes) and how it becomes a draft. */
import type { DataKind, DataSpec, ServiceGroup, ServiceGroupDraft } from '../../../../shared/domain';
import { parseNumber, splitList } from '../../components/format';

export interface MemberRow {
  /** React key only. */
  key: number;
  serverId: string;
  role: 'primary' | 'standby';
}

export interface VipRow {
  key: number;
  address: string;
  prefix: string;
  /** Interface name by member server id; empty means "not configured on that member". */
  interfaces: Record<string, string>;
}

/** Every data parameter of every kind, so switching kind keeps what was typed. */
export interface DataFields {
  kind: DataKind;
  paths: string;
  excludes: string;
  intervalMinutes: string;
  port: string;
  dataDir: string;
  osUser: string;
  database: string;
  socketDir: string;
  host: string;
  resource: string;
  mountPoint: string;
  device: string;
  backupPath: string;
  restoreCommand: string;
}

export interface GroupFields {
  name: string;
  description: string;
  members: MemberRow[];
  vips: VipRow[];
  data: DataFields;
  processes: string;
}

/** Labels for the error summary, by the API path each control edits. */
export const GROUP_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  members: 'Members',
  vips: 'Virtual IPs',
  data: 'Data',
  'data.kind': 'How the data is kept',
  'data.paths': 'Paths to sync',
  'data.excludes': 'Excludes',
  'data.intervalMinutes': 'Sync interval',
  'data.port': 'PostgreSQL port',
  'data.dataDir': 'Data directory',
  'data.osUser': 'OS user',
  'data.database': 'Database',
  'data.socketDir': 'Socket directory',
  'data.host': 'Host (TCP)',
  'data.resource': 'DRBD resource',
  'data.mountPoint': 'Mount point',
  'data.device': 'Device',
  'data.backupPath': 'Backup path',
  'data.restoreCommand': 'Restore command',
  processes: 'Processes',
};

export const DATA_KIND_LABEL: Record<DataKind, string> = {
  none: 'Nothing to keep in sync',
  rsync: 'rsync from the VIP holder',
  postgres: 'PostgreSQL streaming replication',
  drbd: 'DRBD replicated block device',
  'shared-disk': 'Shared disk',
  'backup-restore': 'Restore from backup',
};

let nextKey = 1;
/** A fresh React key for a new row. */
export const rowKey = (): number => nextKey++;

const EMPTY_DATA: DataFields = {
  kind: 'none',
  paths: '',
  excludes: '',
  intervalMinutes: '15',
  port: '5432',
  dataDir: '',
  osUser: 'postgres',
  database: 'postgres',
  socketDir: '',
  host: '',
  resource: '',
  mountPoint: '',
  device: '',
  backupPath: '',
  restoreCommand: '',
};

function dataFields(data: DataSpec): DataFields {
  const out: DataFields = { ...EMPTY_DATA, kind: data.kind };
  switch (data.kind) {
    case 'rsync':
      return {
        ...out,
        paths: data.paths.join('\n'),
        excludes: data.excludes.join('\n'),
        intervalMinutes: String(data.intervalMinutes),
      };
    case 'postgres':
      return {
        ...out,
        port: String(data.port),
        dataDir: data.dataDir,
        osUser: data.osUser,
        database: data.database,
        socketDir: data.socketDir,
        host: data.host,
      };
    case 'drbd':
      return { ...out, resource: data.resource, mountPoint: data.mountPoint, device: data.device };
    case 'shared-disk':
      return { ...out, device: data.device, mountPoint: data.mountPoint };
    case 'backup-restore':
      return { ...out, backupPath: data.backupPath, restoreCommand: data.restoreCommand };
    case 'none':
      return out;
  }
}

/** The fields of an existing group, or of a new one. */
export function groupFields(group?: ServiceGroup): GroupFields {
  return {
    name: group?.name ?? '',
    description: group?.description ?? '',
    members: (group?.members ?? []).map((m) => ({ key: rowKey(), serverId: String(m.serverId), role: m.role })),
    vips: (group?.vips ?? []).map((v) => ({
      key: rowKey(),
      address: v.address,
      prefix: String(v.prefix),
      interfaces: Object.fromEntries(v.interfaces.map((i) => [String(i.serverId), i.interface])),
    })),
    data: group ? dataFields(group.data) : { ...EMPTY_DATA },
    processes: group?.processes.join(' ') ?? '',
  };
}

/** The member server ids (as text) a VIP has an interface on, in member order: the draft's order. */
export function vipInterfaceServers(vip: VipRow, members: readonly MemberRow[]): string[] {
  return members.map((m) => m.serverId).filter((id) => id !== '' && (vip.interfaces[id] ?? '').trim() !== '');
}

function dataDraft(data: DataFields): ServiceGroupDraft['data'] {
  const lines = (text: string) => splitList(text, /\n+/);
  switch (data.kind) {
    case 'rsync':
      return {
        kind: 'rsync',
        paths: lines(data.paths),
        excludes: lines(data.excludes),
        intervalMinutes: parseNumber(data.intervalMinutes),
      };
    case 'postgres':
      return {
        kind: 'postgres',
        port: parseNumber(data.port),
        dataDir: data.dataDir.trim(),
        osUser: data.osUser.trim(),
        database: data.database.trim(),
        socketDir: data.socketDir.trim(),
        host: data.host.trim(),
      };
    case 'drbd':
      return {
        kind: 'drbd',
        resource: data.resource.trim(),
        mountPoint: data.mountPoint.trim(),
        device: data.device.trim(),
      };
    case 'shared-disk':
      return { kind: 'shared-disk', device: data.device.trim(), mountPoint: data.mountPoint.trim() };
    case 'backup-restore':
      return { kind: 'backup-restore', backupPath: data.backupPath.trim(), restoreCommand: data.restoreCommand.trim() };
    case 'none':
      return { kind: 'none' };
  }
}

/** The draft the API takes; validation is left to the shared schema. */
export function groupDraft(fields: GroupFields, id?: number): ServiceGroupDraft {
  return {
    ...(id === undefined ? {} : { id }),
    name: fields.name.trim(),
    description: fields.description.trim(),
    members: fields.members.map((m) => ({ serverId: Number(m.serverId), role: m.role })),
    vips: fields.vips.map((vip) => ({
      address: vip.address.trim(),
      prefix: parseNumber(vip.prefix),
      interfaces: vipInterfaceServers(vip, fields.members).map((serverId) => ({
        serverId: Number(serverId),
        interface: vip.interfaces[serverId].trim(),
      })),
    })),
    data: dataDraft(fields.data),
    processes: splitList(fields.processes),
  };
}
