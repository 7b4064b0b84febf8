/** The editor's fields for each check kind, and the conversion between the form's text and a check draft. */
import { CHECK_SCOPE, type Check, type CheckDraft, type CheckKind } from '../../../../shared/checks';
import { parseNumber, splitList } from '../../components/format';

/** One parameter's field in the editor. */
export interface ParamField {
  key: string;
  label: string;
  type: 'text' | 'number' | 'list' | 'select';
  options?: readonly string[];
  hint?: string;
  /** Empty means "none" (null) rather than "the default". */
  nullable?: boolean;
}

/** The fields of each kind, in order. */
export const PARAM_FIELDS: Record<CheckKind, readonly ParamField[]> = {
  tcp: [
    { key: 'host', label: 'Host or address', type: 'text', hint: 'A member, a VIP, or any host the server can reach' },
    { key: 'port', label: 'Port', type: 'number' },
  ],
  http: [
    { key: 'url', label: 'URL', type: 'text', hint: 'On a member or a VIP, e.g. http://10.0.0.10/health' },
    { key: 'expectStatus', label: 'Expected status', type: 'number', hint: '200 unless set' },
    { key: 'bodyContains', label: 'Text the page must contain', type: 'text' },
  ],
  ssh: [{ key: 'warnLatencyMs', label: 'Warn above (ms)', type: 'number' }],
  service: [
    { key: 'unit', label: 'Service (systemd unit, rc.d name or process name)', type: 'text' },
    { key: 'manager', label: 'How to tell it runs', type: 'select', options: ['auto', 'systemd', 'rcctl', 'process'] },
  ],
  disk: [
    { key: 'path', label: 'Path', type: 'text', hint: '/ unless set' },
    { key: 'warnPercent', label: 'Warn at (% used)', type: 'number' },
    { key: 'failPercent', label: 'Fail at (% used)', type: 'number' },
  ],
  load: [
    { key: 'warnPerCore', label: 'Warn at (load per core)', type: 'number' },
    { key: 'failPerCore', label: 'Fail at (load per core)', type: 'number' },
  ],
  memory: [
    { key: 'warnPercent', label: 'Warn at (% used)', type: 'number' },
    { key: 'failPercent', label: 'Fail at (% used)', type: 'number' },
  ],
  vip: [],
  postgres: [
    { key: 'warnLagSeconds', label: 'Warn at lag (s)', type: 'number', nullable: true, hint: 'Empty: half of the service RPO' },
    { key: 'failLagSeconds', label: 'Fail at lag (s)', type: 'number', nullable: true, hint: 'Empty: the service RPO' },
    { key: 'warnLagBytes', label: 'Warn at lag (bytes)', type: 'number', nullable: true },
    { key: 'failLagBytes', label: 'Fail at lag (bytes)', type: 'number', nullable: true },
    { key: 'socketDir', label: 'Socket directory', type: 'text', nullable: true, hint: "Empty: psql's default" },
  ],
  freshness: [
    { key: 'path', label: 'Path', type: 'text' },
    { key: 'mode', label: 'Age of', type: 'select', options: ['newest-file', 'file'] },
    { key: 'maxAgeMinutes', label: 'Older than this fails (min)', type: 'number', nullable: true, hint: 'Empty: the service RPO' },
  ],
  drift: [
    { key: 'paths', label: 'Files and directories to compare', type: 'list', hint: 'One per line' },
    { key: 'maxFiles', label: 'At most this many files', type: 'number' },
    { key: 'onDifference', label: 'A difference is', type: 'select', options: ['warn', 'fail'] },
  ],
};

/** The editor's state: everything as the text typed. */
export interface CheckForm {
  id?: number;
  kind: CheckKind;
  name: string;
  groupId: string;
  serverId: string;
  intervalSeconds: string;
  timeoutSeconds: string;
  retries: string;
  enabled: boolean;
  params: Record<string, string>;
}

/** A form for a new check of a kind, or for an existing check. */
export function formOf(check: Check | null, kind: CheckKind = 'ssh'): CheckForm {
  if (!check) return { kind, name: '', groupId: '', serverId: '', intervalSeconds: '60', timeoutSeconds: '10', retries: '2', enabled: true, params: {} };
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(check.params as Record<string, unknown>)) {
    params[key] = value === null || value === undefined ? '' : Array.isArray(value) ? value.join('\n') : String(value);
  }
  return {
    id: check.id,
    kind: check.kind,
    name: check.name,
    groupId: check.groupId === null ? '' : String(check.groupId),
    serverId: check.serverId === null ? '' : String(check.serverId),
    intervalSeconds: String(check.intervalSeconds),
    timeoutSeconds: String(check.timeoutSeconds),
    retries: String(check.retries),
    enabled: check.enabled,
    params,
  };
}

const idOrNull = (text: string) => (text === '' ? null : Number(text));

/** The draft to validate and save; bad numbers stay NaN so the schema says why. */
export function draftOf(form: CheckForm): CheckDraft {
  const params: Record<string, unknown> = {};
  for (const field of PARAM_FIELDS[form.kind]) {
    const text = (form.params[field.key] ?? '').trim();
    if (text === '') {
      if (field.nullable) params[field.key] = null;
      continue;
    }
    params[field.key] = field.type === 'number' ? parseNumber(text) : field.type === 'list' ? splitList(text, /\n+/) : text;
  }
  const scope = CHECK_SCOPE[form.kind];
  return {
    ...(form.id !== undefined ? { id: form.id } : {}),
    kind: form.kind,
    name: form.name,
    groupId: idOrNull(form.groupId),
    serverId: scope === 'group' ? null : idOrNull(form.serverId),
    intervalSeconds: parseNumber(form.intervalSeconds),
    timeoutSeconds: parseNumber(form.timeoutSeconds),
    retries: parseNumber(form.retries),
    enabled: form.enabled,
    params,
  } as CheckDraft;
}
