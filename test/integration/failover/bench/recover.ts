/**
 * The recovery bench (run by scripts/bench-recover.mjs), in one run on the lab: a whole-company
 * recovery of the example in one run (every group; the PBX's manual steps answered by the bench
 * as they come), then, on a fresh lab (a promotion cannot be undone), the same groups failed over
 * one after another as a single-group failover does today. Each prints every group's time and the
 * client-observed downtime of each VIP (HTTP probes every 10 ms from the client; for the db VIP,
 * the longest gap between acknowledged writes), and a line `whole company: N s`.
 * First of all, the test recovery of the whole company (test-recovery-bench.ts), which moves nothing.
 */
import { acquireLabLock, startLab, stopLab, type Lab } from '../../../lab/lab';
import { respondToRun, viewRun } from '../../../../electron/failover/engine';
import { recoveryPlan } from '../../../../electron/failover/recovery-plan';
import { recoveryPreflight } from '../../../../electron/failover/recovery';
import { startConfirmed } from '../../../unit/failover/confirmed';
import { openLabFailover, type LabFailover } from '../lab-failover';
import { recoverInOneRun, saveLabFilesRunbook } from '../recovery-lab';
import { dbWriter, downtime, prober, writeGap, type Probe, type Write } from './probes';
import { testRecoveryBench } from './test-recovery-bench';

type Log = (line: string) => void;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** How long the client watches around a recovery. */
const WATCH_SECONDS = 40;
const TABLE = 'lifeboat_bench_recover';

/** What the client sees while `work` runs: an HTTP prober on each VIP that answers HTTP, writes through the db VIP. */
async function observed<T>(
  lab: Lab,
  work: () => Promise<T>,
): Promise<{ result: T; from: number; to: number; probes: Record<string, Probe[]>; writes: Write[] }> {
  const created = await lab.psql('db-a', `create table if not exists ${TABLE} (n bigserial primary key);`, {
    database: lab.postgres.database,
  });
  if (created.code !== 0) throw new Error(`create table: ${created.stderr}`);
  const urls: Record<string, string> = {
    gw: `http://${lab.vips.gw}:3128/`,
    web: `http://${lab.vips.web}/`,
    files: `http://${lab.vips.files}:445/`,
  };
  const probing = Object.fromEntries(Object.entries(urls).map(([g, url]) => [g, prober(lab, url, WATCH_SECONDS)]));
  const writing = dbWriter(lab, TABLE, WATCH_SECONDS);
  await sleep(1500);
  const from = Date.now();
  const result = await work();
  const to = Date.now();
  const probes: Record<string, Probe[]> = {};
  for (const [g, p] of Object.entries(probing)) probes[g] = await p;
  return { result, from, to, probes, writes: await writing };
}

/** The downtime line of a group's VIP. */
function vipLine(lab: Lab, group: string, seen: Awaited<ReturnType<typeof observed>>): string {
  const window = [seen.from - 100, seen.to + 1000] as const;
  if (group === 'db')
    return `client: longest gap between acknowledged writes through ${lab.vips.db} ${writeGap(seen.writes, ...window)} ms`;
  const probes = seen.probes[group];
  if (!probes) return 'no VIP';
  const d = downtime(probes, ...window);
  // The web and gateway answer with the host's name; the file share with a listing.
  const who = (answer: string) => (/^[a-z0-9-]+$/.test(answer) ? answer : 'a listing');
  return `client downtime of ${lab.vips[group as 'gw']} ${d.gapMs} ms (answered by ${who(d.first)} → ${who(d.last)})`;
}

/** Every acknowledged write is on the new primary. */
async function writesKept(lab: Lab, writes: readonly Write[]): Promise<string> {
  const acknowledged = writes.filter((w) => w.ok);
  const rows = await lab.psql('db-b', `select n from ${TABLE};`, { database: lab.postgres.database });
  const present = new Set(rows.stdout.split('\n').filter(Boolean).map(Number));
  const missing = acknowledged.filter((w) => !present.has(w.id!)).length;
  return `${acknowledged.length} acknowledged writes through the db VIP, ${missing === 0 ? 'all present on db-b' : `${missing} MISSING on db-b`}`;
}

/** A workspace on the lab with warm SSH connections (one pre-flight over every group), as an open console has them. */
async function warmWorkspace(lab: Lab, log: Log): Promise<LabFailover> {
  const w = await openLabFailover(lab);
  await saveLabFilesRunbook(w, lab);
  const warm = await recoveryPreflight(w.deps);
  log(
    `warm-up: one pre-flight over ${warm.groups.length} groups in ${warm.durationMs} ms (${warm.passed ? 'passed' : 'BLOCKED'})`,
  );
  return w;
}

/** The whole company in one run. */
async function wholeCompany(lab: Lab, log: Log): Promise<number | null> {
  const w = await warmWorkspace(lab, log);
  try {
    const plan = recoveryPlan(w.ws.db);
    const seen = await observed(lab, () => recoverInOneRun(w));
    const view = seen.result;
    log(
      `whole-company recovery in one run (${view.groups.length} groups; the PBX's manual steps answered by the bench): ${view.status}`,
    );
    for (const g of view.groups) {
      const run = g.runId === null ? null : viewRun(w.ws.ctx, g.runId);
      const manualOnly = plan.groups
        .find((p) => p.groupId === g.groupId)!
        .plan.steps.every((st) => st.type === 'manual');
      log(
        `  ${g.groupName} → ${g.targetName} (priority ${g.priority}): ${g.state}, back after ${g.backAfterMs === null ? '—' : s(g.backAfterMs)}, its run ${run?.elapsedMs == null ? '—' : s(run.elapsedMs)}; ${manualOnly ? 'manual steps only' : vipLine(lab, g.groupName, seen)}`,
      );
    }
    const automated = view.groups.filter(
      (g) => !plan.groups.find((p) => p.groupId === g.groupId)!.plan.steps.every((st) => st.type === 'manual'),
    );
    const back = automated.every((g) => g.backAfterMs !== null)
      ? Math.max(...automated.map((g) => g.backAfterMs!))
      : null;
    log(`  ${await writesKept(lab, seen.writes)}`);
    log(
      `every automated group back (clients reach it) after ${back === null ? 'not all came back' : s(back)} (goal < 5 s)`,
    );
    if (view.status !== 'succeeded') log(`  ${view.summary}`);
    log(`whole company: ${((seen.to - seen.from) / 1000).toFixed(1)} s`);
    return seen.to - seen.from;
  } finally {
    await w.close();
  }
}

/** The same groups failed over one after another, as a single-group failover does today. */
async function oneAfterAnother(lab: Lab, log: Log): Promise<number | null> {
  const w = await warmWorkspace(lab, log);
  try {
    const plan = recoveryPlan(w.ws.db);
    const times: string[] = [];
    const seen = await observed(lab, async () => {
      const runs: { name: string; runId: number | null; ms: number; status: string }[] = [];
      for (const g of plan.groups) {
        const began = Date.now();
        const started = await startConfirmed(w.deps, {
          groupId: g.groupId,
          targetServerId: g.targetServerId,
          mode: 'real',
          confirmation: g.groupName,
        });
        let ended = false;
        const finished = (started.finished ?? Promise.resolve('failed')).finally(() => (ended = true));
        // The manual steps (the PBX) are answered as they come, as in the recovery.
        for (let i = 0; !ended && started.runId !== null && i < 20_000; i++) {
          const waiting = viewRun(w.ws.ctx, started.runId).waiting;
          if (waiting?.options.includes('tick') && g.manual.some((m) => m.stepIndex === waiting.stepIndex))
            respondToRun(w.ws.ctx, { runId: started.runId, stepIndex: waiting.stepIndex, action: 'tick' });
          await sleep(5);
        }
        runs.push({ name: g.groupName, runId: started.runId, ms: Date.now() - began, status: await finished });
      }
      return runs;
    });
    log(`the same groups one after another (${plan.groups.length} single-group failovers, each after the last):`);
    for (const run of seen.result) {
      const manualOnly = plan.groups
        .find((p) => p.groupName === run.name)!
        .plan.steps.every((st) => st.type === 'manual');
      log(
        `  ${run.name}: ${run.status} in ${s(run.ms)}; ${manualOnly ? 'manual steps only' : vipLine(lab, run.name, seen)}`,
      );
      times.push(`${run.name} ${s(run.ms)}`);
    }
    log(`  ${await writesKept(lab, seen.writes)}`);
    log(`one after another: ${((seen.to - seen.from) / 1000).toFixed(1)} s (${times.join(' + ')})`);
    return seen.to - seen.from;
  } finally {
    await w.close();
  }
}

/** The parts of the bench, in order; each gets a pristine lab (a part may promote the database). */
const PARTS: { name: string; run: (lab: Lab, log: Log) => Promise<number | null> }[] = [
  { name: 'test recovery', run: async (lab, log) => ((await testRecoveryBench(lab, log)) === 0 ? 0 : null) },
  { name: 'whole company', run: wholeCompany },
  { name: 'one after another', run: oneAfterAnother },
];

/** Run the bench; returns the process exit code. */
export async function main(log: Log = (line) => console.log(line)): Promise<number> {
  const lock = await acquireLabLock({ purpose: 'bench:recover', timeoutMs: 300_000 });
  let lab: Lab | null = null;
  let code = 0;
  try {
    for (const part of PARTS) {
      // startLab reuses a pristine lab, and replaces one a part left promoted or moved.
      lab = await startLab({ reuse: true, origin: 'bench', timeoutMs: 120_000 });
      log(`lab ${lab.reused ? 'reused' : 'started'} for: ${part.name}`);
      if ((await part.run(lab, log)) === null) code = 1;
    }
    return code;
  } finally {
    if (lab && lab.origin !== 'cli' && process.env.LIFEBOAT_LAB_KEEP !== '1') await stopLab(lab.dir);
    lock.release();
  }
}
