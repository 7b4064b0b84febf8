// `npm run bench:plan`: time `lifeboat plan` for each format on the example company and on a
// generated workspace of 200 services and 100 groups. Each export runs as its own `lifeboat`
// process, as a user would run it (nothing cached between runs), BENCH_RUNS times (3 unless set);
// the best time counts. Goal: the 200-service PDF < 5 s;
// the script exits with status 1 when the goal is missed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCliIfNeeded, ROOT } from './lib/bundle.mjs';

const root = ROOT;
const bin = path.join(root, 'bin', 'lifeboat.cjs');
const PDF_GOAL_MS = 5000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function lifeboat(db, ...args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, '--db', db, ...args], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`lifeboat ${args.join(' ')} failed:\n${run.stderr}`);
  return ms;
}

/** A plan file of `groups` pair groups with two services each, in three levels of dependencies. */
function generatedPlan(groups, services) {
  const tiers = ['critical', 'important', 'routine'];
  const lines = [
    'lifeboat: 1',
    'company:',
    '  companyName: Generated Benchmark Ltd',
    '  targetMinutes: 30',
    'contacts:',
  ];
  for (let c = 1; c <= 5; c++)
    lines.push(
      `  - name: Contact ${c}`,
      `    role: On call ${c}`,
      `    phones: ["+44 20 7946 ${String(c).padStart(4, '0')}"]`,
      `    escalationOrder: ${c}`,
    );
  lines.push('servers:');
  for (let g = 1; g <= groups; g++) {
    for (const side of ['a', 'b']) {
      const host = `10.${Math.floor(g / 250)}.${g % 250}.${side === 'a' ? 2 : 3}`;
      lines.push(
        `  - name: srv-${g}-${side}`,
        `    addresses: [${host}]`,
        `    ssh: { host: ${host} }`,
        `    role: Server ${g} ${side}`,
        '    hardware: 1U server',
        '    power: UPS A',
      );
    }
  }
  lines.push('groups:');
  for (let g = 1; g <= groups; g++) {
    const vip = `10.${Math.floor(g / 250)}.${g % 250}.1`;
    lines.push(
      `  - name: group-${g}`,
      '    members: [{ server: srv-' + g + '-a, role: primary }, { server: srv-' + g + '-b, role: standby }]',
    );
    lines.push(`    vips: [{ address: ${vip}, prefix: 24, interfaces: { srv-${g}-a: eth0, srv-${g}-b: eth0 } }]`);
    lines.push(`    processes: [app${g}, nginx]`);
    if (g % 10 === 0) lines.push('    data: { kind: postgres, dataDir: /srv/pgdata, database: app' + g + ' }');
    else if (g % 3 === 0) lines.push('    data: { kind: rsync, paths: [/srv/data' + g + '] }');
  }
  lines.push('services:');
  for (let s = 1; s <= services; s++) {
    // Three levels, as businesses have them: 10 foundations (network, databases), 40 shared
    // services on top of them, and 150 applications on top of those.
    const below = (from, count, n) => [from + (n % count), from + ((n * 7) % count)];
    const deps = s <= 10 ? [] : s <= 50 ? below(1, 10, s) : below(11, 40, s);
    lines.push(
      `  - name: Service ${s}`,
      `    tier: ${tiers[s % 3]}`,
      `    rtoMinutes: ${15 * (1 + (s % 8))}`,
      `    costPerHour: ${100 * (s % 20)}`,
      '    workaround: Paper forms',
      `    owner: Contact ${1 + (s % 5)}`,
      `    group: group-${1 + ((s - 1) % groups)}`,
      `    dependsOn: [${[...new Set(deps)].map((d) => `"Service ${d}"`).join(', ')}]`,
    );
  }
  return lines.join('\n') + '\n';
}

buildCliIfNeeded();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-bench-'));
try {
  const example = path.join(dir, 'example.db');
  lifeboat(example, 'init', '--example');
  const generated = path.join(dir, 'generated.db');
  const planFile = path.join(dir, 'generated.yaml');
  fs.writeFileSync(planFile, generatedPlan(100, 200));
  lifeboat(generated, 'import', planFile);

  const rows = [];
  for (const [label, db] of [
    ['example company (7 services, 5 groups)', example],
    ['generated (200 services, 100 groups)', generated],
  ]) {
    for (const format of ['html', 'md', 'pdf']) {
      const out = path.join(dir, `${path.basename(db, '.db')}.${format}`);
      // Best of RUNS: the machine's other work only ever adds time.
      const times = Array.from({ length: RUNS }, () => lifeboat(db, 'plan', '--format', format, '--out', out)).sort(
        (a, b) => a - b,
      );
      rows.push({
        workspace: label,
        format,
        seconds: (times[0] / 1000).toFixed(2),
        median: (times[Math.floor(RUNS / 2)] / 1000).toFixed(2),
        size: `${(fs.statSync(out).size / 1024).toFixed(0)} KiB`,
      });
    }
  }
  console.log(`\nlifeboat plan, one process per export (Node start-up included), best and median of ${RUNS}:`);
  console.table(rows);
  const pdf = rows.find((r) => r.workspace.startsWith('generated') && r.format === 'pdf');
  const met = Number(pdf.seconds) * 1000 < PDF_GOAL_MS;
  console.log(`200-service PDF: ${pdf.seconds} s (goal under ${PDF_GOAL_MS / 1000} s: ${met ? 'met' : 'MISSED'})`);
  // Timings scale with how busy the machine is: say so next to them.
  console.log(
    `machine: ${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min)`,
  );
  if (!met) process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
