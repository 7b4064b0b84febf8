/**
 * What a run of checks found, counted truthfully: a check that could not reach its host is counted
 * as unreachable (not as failing, not as fine), one that reached it but could not tell is unknown,
 * and nothing is called "none failing" unless checks were actually read.
 */
import type { CheckStatus } from '../checks';

/** The part of a result a summary needs: its status and the servers it could not reach. */
export interface RunResultLike {
  status: CheckStatus;
  /** Servers the check could not reach (nothing was exchanged with them). */
  unreachable: readonly string[];
}

/** How many checks ended where; every check is counted once. */
export interface RunCounts {
  ok: number;
  warn: number;
  failing: number;
  unknown: number;
  /** Checks that could not reach a server they read and have no good answer from another. */
  unreachable: number;
}

/** The counts of a run, the servers that could not be reached, and one sentence saying it. */
export interface RunSummary {
  total: number;
  counts: RunCounts;
  unreachableHosts: string[];
  text: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Count a run of checks and say it in one sentence. */
export function summariseRun(results: readonly RunResultLike[]): RunSummary {
  const counts: RunCounts = { ok: 0, warn: 0, failing: 0, unknown: 0, unreachable: 0 };
  const hosts = new Set<string>();
  for (const result of results) {
    result.unreachable.forEach((host) => hosts.add(host));
    if (result.status !== 'ok' && result.unreachable.length > 0) counts.unreachable++;
    else if (result.status === 'fail') counts.failing++;
    else counts[result.status]++;
  }
  const unreachableHosts = [...hosts].sort();
  const hostList =
    unreachableHosts.length > 5 ? `${unreachableHosts.slice(0, 5).join(', ')}, …` : unreachableHosts.join(', ');
  const notRead = [
    counts.unreachable > 0 &&
      `${counts.unreachable} could not reach their server (${plural(unreachableHosts.length, 'host')} unreachable: ${hostList})`,
    counts.unknown > 0 && `${counts.unknown} unknown (reached, but could not tell)`,
  ].filter((part): part is string => typeof part === 'string');
  const total = results.length;
  let text: string;
  if (total === 0) text = 'No enabled checks to run.';
  else if (counts.ok + counts.warn + counts.failing === 0)
    text = `${plural(total, 'check')} run, nothing could be read: ${notRead.join('; ')}.`;
  else {
    const read = [`${counts.failing} failing`, counts.warn > 0 && `${counts.warn} warning`, `${counts.ok} ok`].filter(
      (part): part is string => typeof part === 'string',
    );
    text = `${plural(total, 'check')} run: ${[...read, ...notRead].join(', ')}.`;
  }
  return { total, counts, unreachableHosts, text };
}
