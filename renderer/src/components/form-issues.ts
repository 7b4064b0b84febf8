/** Maps validation issues (from zod on the client, or ApiError.issues from the host) to form fields. */
import type { z } from 'zod';
import { formatPath, type FieldIssue } from '../../../shared/errors';

/** The issues of parsing `value` with `schema`, shaped like the API's field issues. */
export function schemaIssues(schema: z.ZodType, value: unknown): FieldIssue[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: issue.path.filter((part): part is string | number => typeof part !== 'symbol'),
    message: issue.message,
  }));
}

/** Whether an issue path ("addresses[1]") lies at or under a field key ("addresses"). */
export function pathWithin(issuePath: string, fieldKey: string): boolean {
  return issuePath === fieldKey || issuePath.startsWith(`${fieldKey}.`) || issuePath.startsWith(`${fieldKey}[`);
}

/** The messages for one field; `nested` also takes those of its items, saying which item. */
export function messagesAt(issues: readonly FieldIssue[], fieldKey: string, nested = false): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    const path = formatPath(issue.path);
    if (path === fieldKey) out.push(issue.message);
    else if (nested && pathWithin(path, fieldKey)) {
      const item = /^\[(\d+)\]/.exec(path.slice(fieldKey.length));
      // Most item messages quote the bad value already; the others get the item's position.
      out.push(
        item && !issue.message.startsWith('"') ? `entry ${Number(item[1]) + 1}: ${issue.message}` : issue.message,
      );
    }
  }
  return [...new Set(out)];
}

/** The field that owns an issue: the longest of the keys whose subtree holds its path. */
export function owningField(issuePath: string, fieldKeys: readonly string[]): string | null {
  let best: string | null = null;
  for (const key of fieldKeys) {
    if (pathWithin(issuePath, key) && (best === null || key.length > best.length)) best = key;
  }
  return best;
}

/** The DOM id of a field, from its form id and key. */
export function fieldId(formId: string, key: string): string {
  return `${formId}-${key.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}
