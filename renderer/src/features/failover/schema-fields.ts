/**
 * Form fields generated from a zod object schema (an action kind's parameters, a step's own
 * fields), without React: what each field is (text, number, yes/no, a choice of words, a list, a
 * server of the group, a nested choice such as a probe kind), its starting value, and the way back
 * from what the operator typed to the value the schema checks. Adding a parameter to an action's
 * schema adds its field here with no other change.
 */
import type { z } from 'zod';
import { Id } from '../../../../shared/domain';
import { formatPath, type FieldIssue } from '../../../../shared/errors';

/** What one field is, read from its schema. */
export type FieldSpec = { key: string; label: string; initial: FieldValue } & (
  | { kind: 'text'; multiline: boolean }
  | { kind: 'number'; nullable: boolean; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'enum'; options: string[] }
  /** An `Id`: in a step, the only entity an id names is a server of the group. */
  | { kind: 'server'; nullable: boolean }
  | { kind: 'list'; item: 'text' | 'number' }
  | { kind: 'choice'; discriminator: string; options: { value: string; fields: FieldSpec[] }[] }
  /** A nested object (a VIP's holder); when nullable, `NONE` in its values says it is absent. */
  | { kind: 'object'; nullable: boolean; fields: FieldSpec[] }
);

/** The key of a nullable nested object's values that is true when the object is absent (null). */
export const NONE = '(none)';

/** What the operator edits: text as typed, a tick, or a nested choice's own values. */
export type FieldValue = string | boolean | FieldValues;
export interface FieldValues {
  [key: string]: FieldValue;
}

/** zod's own description of a schema (the parts read here). */
interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  entries?: Record<string, string>;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  format?: string;
  checks?: { _zod: { def: { check: string; maximum?: number } } }[];
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
/** The longest text a string schema takes (its max_length check), or 0 when it sets none. */
const maxLengthOf = (schema: z.ZodType): number =>
  defOf(schema).checks?.find((c) => c._zod.def.check === 'max_length')?._zod.def.maximum ?? 0;

/** Longer texts than this are edited in a text area (scripts, instructions). */
const MULTILINE_FROM = 1000;

/** "probeMilliseconds" → "probe (milliseconds)", "fenceServerId" → "fence server", "vipAddress" → "VIP address". */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/ id$/, '')
    .replace(/\bvip\b/g, 'VIP')
    .replace(/\bdir\b/g, 'directory')
    .replace(/\bos\b/g, 'OS')
    .replace(/\bssh\b/g, 'SSH');
  const unit = /^(.*) (seconds|milliseconds|minutes)$/.exec(words);
  const label = unit ? `${unit[1]} (${unit[2]})` : words;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The fields of an object schema, leaving out `omit`. */
export function describeObject(schema: z.ZodType, omit: readonly string[] = []): FieldSpec[] {
  const shape = defOf(schema).shape ?? {};
  return Object.entries(shape)
    .filter(([key]) => !omit.includes(key))
    .map(([key, field]) => describeField(key, field));
}

/** The field of one schema. */
function describeField(key: string, schema: z.ZodType): FieldSpec {
  let inner = schema;
  let fallback: unknown = undefined;
  let nullable = false;
  // Peel defaults, optionals and nullables; what they wrap says what the field is.
  for (;;) {
    const def = defOf(inner);
    if (def.type === 'default') fallback ??= def.defaultValue;
    else if (def.type === 'nullable') nullable = true;
    else if (def.type !== 'optional') break;
    inner = def.innerType!;
  }
  const def = defOf(inner);
  const label = labelOf(key);
  if (inner === Id) return { key, label, kind: 'server', nullable, initial: fallback == null ? '' : String(fallback) };
  switch (def.type) {
    case 'number':
      return {
        key,
        label,
        kind: 'number',
        nullable,
        integer: Boolean(def.format?.includes('int')),
        initial: fallback == null ? '' : String(fallback),
      };
    case 'boolean':
      return { key, label, kind: 'boolean', initial: fallback === true };
    case 'enum': {
      const options = Object.values(def.entries ?? {});
      return { key, label, kind: 'enum', options, initial: String(fallback ?? options[0] ?? '') };
    }
    case 'array': {
      const item = defOf(def.element!).type === 'number' ? 'number' : 'text';
      return { key, label, kind: 'list', item, initial: listText(Array.isArray(fallback) ? fallback : [], item) };
    }
    case 'object': {
      const fields = describeObject(inner);
      const spec: FieldSpec = { key, label, kind: 'object', nullable, fields, initial: {} };
      spec.initial = objectValues(spec, fallback);
      return spec;
    }
    case 'union':
      if (def.discriminator) return choiceOf(key, label, def, fallback);
      // A union of '' and a checked string is a text field that may stay empty.
      return { key, label, kind: 'text', multiline: false, initial: typeof fallback === 'string' ? fallback : '' };
    default:
      return {
        key,
        label,
        kind: 'text',
        multiline: maxLengthOf(inner) > MULTILINE_FROM,
        initial: typeof fallback === 'string' ? fallback : '',
      };
  }
}

function choiceOf(key: string, label: string, def: Def, fallback: unknown): FieldSpec {
  const discriminator = def.discriminator!;
  const options = (def.options ?? []).map((option) => {
    const literal = defOf(defOf(option).shape![discriminator]).values?.[0];
    return { value: String(literal), fields: describeObject(option, [discriminator]) };
  });
  const spec: FieldSpec = { key, label, kind: 'choice', discriminator, options, initial: {} };
  const chosen = (fallback as Record<string, unknown> | undefined)?.[discriminator];
  spec.initial = choiceValues(
    spec,
    String(chosen ?? options[0]?.value ?? ''),
    fallback as Record<string, unknown> | undefined,
  );
  return spec;
}

/** The values of a nested object field: its fields' values, and whether it is absent. */
function objectValues(spec: Extract<FieldSpec, { kind: 'object' }>, value: unknown): FieldValues {
  const absent = value === null || (value === undefined && spec.nullable);
  return {
    ...valuesOf(spec.fields, (value ?? {}) as Record<string, unknown>),
    ...(spec.nullable ? { [NONE]: absent } : {}),
  };
}

function listText(items: readonly unknown[], item: 'text' | 'number'): string {
  return items.map(String).join(item === 'number' ? ', ' : '\n');
}

/** The values of a choice field set to `option`, taking what `from` already holds where it fits. */
export function choiceValues(
  spec: Extract<FieldSpec, { kind: 'choice' }>,
  option: string,
  from?: Record<string, unknown>,
): FieldValues {
  const fields = spec.options.find((o) => o.value === option)?.fields ?? [];
  return { [spec.discriminator]: option, ...valuesOf(fields, from) };
}

/** The form values of `value` (an action's params, a step), each field's default where it has none. */
export function valuesOf(fields: readonly FieldSpec[], value: Record<string, unknown> = {}): FieldValues {
  const out: FieldValues = {};
  for (const spec of fields) out[spec.key] = valueOf(spec, value[spec.key]);
  return out;
}

function valueOf(spec: FieldSpec, value: unknown): FieldValue {
  if (value === undefined) return spec.initial;
  switch (spec.kind) {
    case 'boolean':
      return value === true;
    case 'list':
      return Array.isArray(value) ? listText(value, spec.item) : spec.initial;
    case 'choice': {
      const chosen = (value as Record<string, unknown>)?.[spec.discriminator];
      return choiceValues(spec, String(chosen ?? ''), value as Record<string, unknown>);
    }
    case 'object':
      return objectValues(spec, value);
    default:
      return value === null ? '' : String(value);
  }
}

/** Whole or decimal numbers as typed, strictly ("5", "0.5"; not "5 min" or "five"). */
const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;

/**
 * The value the schema checks, from what was typed; text that cannot be a number becomes an issue
 * at its own field (paths relative to these fields, under `at`), and the schema judges the rest.
 */
export function parseValues(
  fields: readonly FieldSpec[],
  values: FieldValues,
  at: (string | number)[] = [],
): { value: Record<string, unknown>; issues: FieldIssue[] } {
  const value: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const spec of fields) {
    const raw = values[spec.key] ?? spec.initial;
    const path = [...at, spec.key];
    const number = (text: string, where: (string | number)[]) => {
      if (!NUMBER.test(text)) {
        issues.push({
          path: where,
          message: spec.kind === 'number' && !spec.integer ? 'a number, e.g. 5' : 'a whole number, e.g. 5',
        });
        return undefined;
      }
      return Number(text);
    };
    switch (spec.kind) {
      case 'boolean':
        value[spec.key] = raw === true;
        break;
      case 'text':
      case 'enum':
        value[spec.key] = String(raw);
        break;
      case 'number':
      case 'server': {
        const text = String(raw).trim();
        if (text === '') {
          if (spec.nullable) value[spec.key] = null;
          else issues.push({ path, message: spec.kind === 'server' ? 'choose a server' : 'a number is required' });
        } else value[spec.key] = number(text, path);
        break;
      }
      case 'list': {
        const parts = String(raw)
          .split(spec.item === 'number' ? /[\s,]+/ : /\n/)
          .map((part) => part.trim())
          .filter((part) => part !== '');
        value[spec.key] = spec.item === 'number' ? parts.map((part, i) => number(part, [...path, i])) : parts;
        break;
      }
      case 'choice': {
        const nested = (typeof raw === 'object' ? raw : {}) as FieldValues;
        const option = spec.options.find((o) => o.value === nested[spec.discriminator]) ?? spec.options[0];
        const inner = parseValues(option?.fields ?? [], nested, path);
        value[spec.key] = { [spec.discriminator]: option?.value, ...inner.value };
        issues.push(...inner.issues);
        break;
      }
      case 'object': {
        const nested = (typeof raw === 'object' ? raw : {}) as FieldValues;
        if (spec.nullable && nested[NONE] === true) {
          value[spec.key] = null;
          break;
        }
        const inner = parseValues(spec.fields, nested, path);
        value[spec.key] = inner.value;
        issues.push(...inner.issues);
        break;
      }
    }
  }
  return { value, issues };
}

/** Every field key under `prefix` (nested choices included), with its label: for the error summary. */
export function fieldLabels(
  fields: readonly FieldSpec[],
  values: FieldValues,
  prefix: string,
  labelPrefix: string,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const spec of fields) {
    const key = formatPath([prefix, spec.key].filter(Boolean));
    labels[key] = `${labelPrefix}${spec.label.toLowerCase()}`;
    if (spec.kind === 'choice') {
      const nested = (values[spec.key] ?? {}) as FieldValues;
      const option = spec.options.find((o) => o.value === nested[spec.discriminator]);
      labels[`${key}.${spec.discriminator}`] = `${labelPrefix}${spec.label.toLowerCase()} ${spec.discriminator}`;
      Object.assign(
        labels,
        fieldLabels(option?.fields ?? [], nested, key, `${labelPrefix}${spec.label.toLowerCase()} `),
      );
    }
    if (spec.kind === 'object')
      Object.assign(
        labels,
        fieldLabels(
          spec.fields,
          (values[spec.key] ?? {}) as FieldValues,
          key,
          `${labelPrefix}${spec.label.toLowerCase()} `,
        ),
      );
  }
  return labels;
}
