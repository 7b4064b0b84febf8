/** The server form's fields as typed text, and how they become a ServerDraft for the API. */
import { ServerDraft, type Server } from '../../../../shared/domain';
import { formatPath, type FieldIssue } from '../../../../shared/errors';
import { schemaIssues } from '../../components/form-issues';
import { parseId, parseNumber, splitList } from '../../components/format';

/** One string per control, keyed by the API path of the value it edits. */
export interface ServerFields {
  name: string;
  addresses: string;
  os: string;
  role: string;
  siteId: string;
  'ssh.host': string;
  'ssh.port': string;
  'ssh.user': string;
  'ssh.auth.kind': string;
  'ssh.auth.keyPath': string;
  'ssh.jumpServerId': string;
  hardware: string;
  power: string;
  'support.vendor': string;
  'support.contract': string;
  'support.phone': string;
  'support.hours': string;
  notes: string;
}

/** Labels by field key, for the controls and the error summary. */
export const SERVER_LABELS: Record<keyof ServerFields, string> = {
  name: 'Name',
  addresses: 'Addresses',
  os: 'Operating system',
  role: 'Role',
  siteId: 'Site',
  'ssh.host': 'SSH host',
  'ssh.port': 'SSH port',
  'ssh.user': 'SSH user',
  'ssh.auth.kind': 'Authentication',
  'ssh.auth.keyPath': 'Private key file',
  'ssh.jumpServerId': 'Jump host',
  hardware: 'Hardware',
  power: 'Power and UPS',
  'support.vendor': 'Support vendor',
  'support.contract': 'Contract number',
  'support.phone': 'Support phone',
  'support.hours': 'Support hours',
  notes: 'Notes',
};

const idText = (id: number | null) => (id === null ? '' : String(id));

/** The fields of an existing server, or of a new one. */
export function serverFields(server?: Server): ServerFields {
  const auth = server?.ssh.auth ?? { kind: 'agent' as const };
  return {
    name: server?.name ?? '',
    addresses: server?.addresses.join(', ') ?? '',
    os: server?.os ?? 'linux',
    role: server?.role ?? '',
    siteId: idText(server?.siteId ?? null),
    // A stored host equal to the first address is shown empty: it follows the address.
    'ssh.host': server && server.ssh.host !== server.addresses[0] ? server.ssh.host : '',
    'ssh.port': String(server?.ssh.port ?? 22),
    'ssh.user': server?.ssh.user ?? 'root',
    'ssh.auth.kind': auth.kind,
    'ssh.auth.keyPath': auth.kind === 'key' ? auth.keyPath : '',
    'ssh.jumpServerId': idText(server?.ssh.jumpServerId ?? null),
    hardware: server?.hardware ?? '',
    power: server?.power ?? '',
    'support.vendor': server?.support.vendor ?? '',
    'support.contract': server?.support.contract ?? '',
    'support.phone': server?.support.phone ?? '',
    'support.hours': server?.support.hours ?? '',
    notes: server?.notes ?? '',
  };
}

/**
 * The shared schema's issues for the fields. An empty SSH host follows the first address, so its
 * problems are that address's and are shown there only.
 */
export function serverIssues(fields: ServerFields, id?: number): FieldIssue[] {
  const issues = schemaIssues(ServerDraft, serverDraft(fields, id));
  const derivedHost = fields['ssh.host'].trim() === '' && splitList(fields.addresses).length > 0;
  return derivedHost ? issues.filter((issue) => formatPath(issue.path) !== 'ssh.host') : issues;
}

/** The draft the API takes; validation is left to the shared schema. */
export function serverDraft(fields: ServerFields, id?: number): ServerDraft {
  const addresses = splitList(fields.addresses);
  const kind = fields['ssh.auth.kind'];
  const auth =
    kind === 'key'
      ? { kind: 'key' as const, keyPath: fields['ssh.auth.keyPath'].trim() }
      : { kind: kind as 'agent' | 'password' };
  return {
    ...(id === undefined ? {} : { id }),
    name: fields.name.trim(),
    addresses,
    os: fields.os as ServerDraft['os'],
    role: fields.role.trim(),
    siteId: parseId(fields.siteId),
    ssh: {
      host: fields['ssh.host'].trim() || addresses[0] || '',
      port: parseNumber(fields['ssh.port']),
      user: fields['ssh.user'].trim(),
      auth,
      jumpServerId: parseId(fields['ssh.jumpServerId']),
    },
    hardware: fields.hardware.trim(),
    power: fields.power.trim(),
    support: {
      vendor: fields['support.vendor'].trim(),
      contract: fields['support.contract'].trim(),
      phone: fields['support.phone'].trim(),
      hours: fields['support.hours'].trim(),
    },
    notes: fields.notes.trim(),
  };
}
