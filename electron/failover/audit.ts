/**
 * The audit log: append-only, hash-chained rows (sha256 of the previous hash and the canonical
 * row), each committed with synchronous=FULL so an intent row is on disk before its command is
 * sent. Tampering with any row (or removing one in the middle) breaks the chain at that row; the
 * newest hash is anchored outside the table (audit-anchor.ts), so removing the last rows is caught.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from '../db/connection';
import type { AuditEntry, AuditKind, AuditVerification } from '../../shared/contract/failover';
import { getAuditRow, insertAuditRow, iterateAuditRows, lastAuditHash } from '../db/repositories/audit';
import { durably } from '../db/repositories/connection-state';
import { latestRevisionAnchor } from '../db/repositories/plan-revisions';
import { anchorPath, readAnchor, writeAnchor } from './audit-anchor';

/** What a caller supplies; the rest (id, time, chain) is filled in here. */
export interface AuditInput {
  kind: AuditKind;
  actor?: string;
  runId?: number | null;
  groupId?: number | null;
  stepIndex?: number | null;
  serverId?: number | null;
  host?: string;
  command?: string;
  intentId?: number | null;
  startedAt?: number | null;
  endedAt?: number | null;
  exitCode?: number | null;
  outcome?: string;
  output?: string;
  detail?: string;
}

/** Output kept per row: the head and the tail of what the command printed. */
export const OUTPUT_EXCERPT_CHARS = 4000;

/** The operator as the OS knows them, with the machine: "alice@laptop". */
export function currentActor(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry: keep "unknown" */
  }
  return `${user}@${os.hostname()}`;
}

/** Keep the beginning and the end of long output. */
export function excerpt(text: string, max = OUTPUT_EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n…[${text.length - max} characters cut]…\n${text.slice(-half)}`;
}

/** The row as hashed: every field but the hash, in a fixed order. */
function canonical(entry: Omit<AuditEntry, 'hash'>): string {
  return JSON.stringify([
    entry.id,
    entry.at,
    entry.kind,
    entry.actor,
    entry.runId,
    entry.groupId,
    entry.stepIndex,
    entry.serverId,
    entry.host,
    entry.command,
    entry.intentId,
    entry.startedAt,
    entry.endedAt,
    entry.exitCode,
    entry.outcome,
    entry.output,
    entry.detail,
    entry.prevHash,
  ]);
}

/** sha256 over the previous row's hash and this row. */
export function chainHash(entry: Omit<AuditEntry, 'hash'>): string {
  return crypto.createHash('sha256').update(entry.prevHash).update('\n').update(canonical(entry)).digest('hex');
}

/** Append one row (IMMEDIATE transaction, synchronous=FULL); returns it with its id and hash. */
export function appendAudit(db: Db, input: AuditInput): AuditEntry {
  const entry = commitAudit(db, input);
  // After the commit: a crash before this line leaves the anchor one row behind, never ahead.
  const problem = writeAnchor(db, { id: entry.id, hash: entry.hash });
  if (problem) console.error(problem);
  return entry;
}

function commitAudit(db: Db, input: AuditInput): AuditEntry {
  return durably(db, () =>
    db
      .transaction(() => {
        const last = lastAuditHash(db);
        const base: Omit<AuditEntry, 'hash'> = {
          id: (last?.id ?? 0) + 1,
          at: Date.now(),
          kind: input.kind,
          actor: input.actor ?? currentActor(),
          runId: input.runId ?? null,
          groupId: input.groupId ?? null,
          stepIndex: input.stepIndex ?? null,
          serverId: input.serverId ?? null,
          host: input.host ?? '',
          command: input.command ?? '',
          intentId: input.intentId ?? null,
          startedAt: input.startedAt ?? null,
          endedAt: input.endedAt ?? null,
          exitCode: input.exitCode ?? null,
          outcome: input.outcome ?? '',
          output: excerpt(input.output ?? ''),
          detail: input.detail ?? '',
          prevHash: last?.hash ?? '',
        };
        const entry: AuditEntry = { ...base, hash: chainHash(base) };
        insertAuditRow(db, entry);
        return entry;
      })
      .immediate(),
  );
}

/** Walk the whole log in order; the first row whose link or hash does not match is reported. */
export function verifyAudit(db: Db): AuditVerification {
  let previous = '';
  let expectedId: number | null = null;
  let rows = 0;
  for (const entry of iterateAuditRows(db)) {
    rows++;
    const { hash, ...rest } = entry;
    if (expectedId !== null && entry.id !== expectedId) {
      return {
        ok: false,
        rows,
        firstBroken: { id: entry.id, reason: `row ${expectedId} is missing before row ${entry.id}` },
      };
    }
    if (entry.prevHash !== previous)
      return { ok: false, rows, firstBroken: { id: entry.id, reason: 'its link to the previous row does not match' } };
    if (chainHash(rest) !== hash)
      return { ok: false, rows, firstBroken: { id: entry.id, reason: 'its content does not match its hash (edited)' } };
    previous = hash;
    expectedId = entry.id + 1;
  }
  return checkAnchors(db, rows, expectedId === null ? 0 : expectedId - 1);
}

/** The table's end against what was anchored outside it: the anchor file, and the plan's revisions. */
function checkAnchors(db: Db, rows: number, lastId: number): AuditVerification {
  const broken = (id: number, reason: string): AuditVerification => ({
    ok: false,
    rows,
    firstBroken: { id: Math.max(1, id), reason },
  });
  const anchor = readAnchor(db);
  const file = anchorPath(db);
  if (anchor === 'unreadable')
    return broken(lastId + 1, `the audit anchor ${file} cannot be read: the end of the log cannot be checked`);
  if (anchor === null && file !== null && rows > 0)
    return broken(lastId + 1, `the audit anchor ${file} is missing: the end of the log cannot be checked`);
  const anchors: { id: number; hash: string; where: string }[] = anchor
    ? [{ ...anchor, where: `the anchor file ${file}` }]
    : [];
  const revision = revisionAnchor(db);
  if (revision) anchors.push(revision);
  for (const a of anchors) {
    if (a.id > lastId)
      return broken(
        lastId + 1,
        `rows ${lastId + 1} to ${a.id} are missing: ${a.where} names row ${a.id} (hash ${a.hash.slice(0, 12)}…), the log ends at row ${lastId}`,
      );
    const row = getAuditRow(db, a.id);
    if (!row || row.hash !== a.hash)
      return broken(a.id, `row ${a.id} is not the row ${a.where} names (hash ${a.hash.slice(0, 12)}…)`);
  }
  return { ok: true, rows, firstBroken: null };
}

/** The audit head the newest plan revision carried, if it carried one. */
function revisionAnchor(db: Db): { id: number; hash: string; where: string } | null {
  const anchor = latestRevisionAnchor(db);
  return anchor ? { id: anchor.auditId, hash: anchor.auditHash, where: `plan revision ${anchor.number}` } : null;
}

const CSV_COLUMNS: (keyof AuditEntry)[] = [
  'id',
  'at',
  'kind',
  'actor',
  'runId',
  'groupId',
  'stepIndex',
  'serverId',
  'host',
  'command',
  'intentId',
  'startedAt',
  'endedAt',
  'exitCode',
  'outcome',
  'output',
  'detail',
  'prevHash',
  'hash',
];

/** RFC 4180 field; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The log (or one run's rows) as CSV or JSON, oldest first. */
export function exportAudit(db: Db, format: 'csv' | 'json', runId?: number): { text: string; rows: number } {
  const entries = [...iterateAuditRows(db, runId)];
  if (format === 'json') return { text: `${JSON.stringify(entries, null, 2)}\n`, rows: entries.length };
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of entries) lines.push(CSV_COLUMNS.map((c) => csvField(entry[c])).join(','));
  return { text: `${lines.join('\r\n')}\r\n`, rows: entries.length };
}
