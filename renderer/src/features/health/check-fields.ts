/** The editor's fields for each check kind (declared with the kind in shared/check-kinds.ts), and the conversion between the form's text and a check draft. */
import {
  CHECK_KIND_SPECS,
  CHECK_SCOPE,
  type Check,
  type CheckDraft,
  type CheckKind,
  type ParamField,
} from '../../../../shared/checks';
import { parseNumber, splitList } from '../../components/format';

/** The fields of a kind, in order (from the shared list of kinds). */
export function paramFields(kind: CheckKind): readonly ParamField[] {
  return CHECK_KIND_SPECS[kind].fields;
}

/** What the editor calls a kind's server: a probe runs from it, other kinds run on it. */
export function serverLabel(kind: CheckKind): string {
  const spec: { serverLabel?: string } = CHECK_KIND_SPECS[kind];
  return spec.serverLabel ?? 'Server';
}

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
  if (!check)
    return {
      kind,
      name: '',
      groupId: '',
      serverId: '',
      intervalSeconds: '60',
      timeoutSeconds: '10',
      retries: '2',
      enabled: true,
      params: {},
    };
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
  for (const field of paramFields(form.kind)) {
    const text = (form.params[field.key] ?? '').trim();
    if (text === '') {
      if (field.nullable) params[field.key] = null;
      continue;
    }
    params[field.key] =
      field.type === 'number' ? parseNumber(text) : field.type === 'list' ? splitList(text, /\n+/) : text;
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
