/**
 * What a sync would overwrite or delete on the receiver, shown before the copy (rsync.sync with
 * previewOverwrites): the member that comes back after a failover may have been written to while
 * it was down. An itemized dry run from the source lists every file that differs on the receiver
 * (it would be overwritten) and, with --delete, every file only the receiver has (`*deleting`);
 * new files are not at risk and are left out. The list is bound by its count and sha256, as the
 * deletion acknowledgement is.
 */
import crypto from 'node:crypto';
import type { Server } from '../../../shared/domain';
import type { ActionParams } from '../../../shared/runbooks';
import { rsyncLines } from './rsync-lines';

type Params = ActionParams<'rsync.sync'>;

/** The dry run: itemized changes (and deletions with --delete), copying nothing. */
export function overwritePreviewScript(params: Params, receiver: Server, vips: readonly string[]): string {
  return rsyncLines(params, receiver, vips, `-n ${params.delete ? '--delete ' : ''}--itemize-changes `).join('\n');
}

/** An itemized line that puts a file of the receiver at risk: a deletion, or a change to a file it has. */
export function atRisk(line: string): boolean {
  if (line.startsWith('*deleting')) return true;
  // YXcstpoguax: Y is < (sent: a push, as the sync is), > (received) or c (changed), X the file
  // type; all '+' means it is new on the receiver, so nothing of it is at risk.
  const m = /^([<>c])([fLDS])(\S{9}) /.exec(line);
  return m !== null && !/^\++$/.test(m[3]);
}

/** The lines at risk, their count, how many are deletions, and the sha256 an acknowledgement is bound to. */
export function overwriteList(previewOutput: string): {
  lines: string[];
  count: number;
  deletions: number;
  sha256: string;
} {
  const lines = previewOutput.split('\n').filter(atRisk);
  return {
    lines,
    count: lines.length,
    deletions: lines.filter((l) => l.startsWith('*deleting')).length,
    sha256: crypto.createHash('sha256').update(lines.join('\n')).digest('hex'),
  };
}
