/**
 * What the benches observe from the client's side (the lab's client namespace): HTTP probes of a
 * VIP every few milliseconds, the longest stretch without an answer, and writes through the db
 * VIP that keep the id of every write PostgreSQL acknowledged.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Lab } from '../../../lab/lab';

/** [sent at, answered by ("" for none), answer or failure at], seconds since the epoch. */
export type Probe = [number, string, number];

/**
 * Longest stretch (ms) without an answer arriving at the client, and who answered first and last.
 * Judged by when answers arrive, not when requests were sent: a request caught in the gap is
 * answered only after its TCP retransmission, so by send time it would hide the outage it sat through.
 */
export function downtime(
  probes: readonly Probe[],
  from: number,
  to: number,
): { gapMs: number; first: string; last: string } {
  const answered = probes
    .filter(([sent, host]) => host && sent >= from / 1000 && sent <= to / 1000)
    .sort((a, b) => a[2] - b[2]);
  let gap = 0;
  for (let i = 1; i < answered.length; i++) gap = Math.max(gap, (answered[i][2] - answered[i - 1][2]) * 1000);
  return { gapMs: Math.round(gap), first: answered[0]?.[1] ?? '', last: answered.at(-1)?.[1] ?? '' };
}

/** Probe `url` from the client every `interval` seconds for `seconds` (prober.py, next to the bundle or this file). */
export function prober(lab: Lab, url: string, seconds: number, interval = 0.01): Promise<Probe[]> {
  const script = fs.readFileSync(path.join(__dirname, 'prober.py'), 'utf8');
  return lab
    .exec('client', ['python3', '-c', script, url, String(interval), String(seconds)], {
      timeoutMs: (seconds + 10) * 1000,
    })
    .then((r) => JSON.parse(r.stdout || '[]') as Probe[]);
}

/** One write attempt through the db VIP: accepted (with its id and the server that took it) or not. */
export interface Write {
  ok: boolean;
  at: number;
  id: number | null;
  host: string;
}

/**
 * Insert into `table` (a bigserial `n`) through the db VIP from the client namespace in a loop for
 * `seconds`, one psql per write, each cut after `attemptSeconds`; every accepted write returns its
 * id and the name of the server that took it.
 */
export function dbWriter(lab: Lab, table: string, seconds: number, attemptSeconds = 0.5): Promise<Write[]> {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
  const sql = `insert into ${table} default values returning n || ' ' || trim(pg_read_file('/etc/hostname'))`;
  const attempt = `r=$(timeout ${attemptSeconds} psql -X -q -A -t -h ${lab.vips.db} -p ${lab.postgres.port} -U ${lab.postgres.superuser} -d ${lab.postgres.database} -c "${sql}" 2>/dev/null)`;
  const loop = `end=$(( $(date +%s) + ${Math.ceil(seconds)} )); while [ "$(date +%s)" -lt "$end" ]; do if ${attempt} && [ -n "$r" ]; then echo "ok $(date +%s%3N) $r"; else echo "fail $(date +%s%3N)"; fi; done`;
  const child = spawn('ip', ['netns', 'exec', lab.hosts.client.namespace, 'sh', '-c', loop], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, PGCONNECT_TIMEOUT: '2' },
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve) =>
    child.once('exit', () =>
      resolve(
        text.split('\n').flatMap((line) => {
          const m = /^(ok|fail) (\d+)(?: (\d+) (\S+))?$/.exec(line);
          return m ? [{ ok: m[1] === 'ok', at: Number(m[2]), id: m[3] ? Number(m[3]) : null, host: m[4] ?? '' }] : [];
        }),
      ),
    ),
  );
}

/** Longest stretch (ms) between accepted writes inside [from, to]. */
export function writeGap(writes: readonly Write[], from: number, to: number): number {
  const accepted = writes.filter((w) => w.ok && w.at >= from && w.at <= to).map((w) => w.at);
  let gap = 0;
  for (let i = 1; i < accepted.length; i++) gap = Math.max(gap, accepted[i] - accepted[i - 1]);
  return gap;
}
