// `npm run bench:failover`: bundles the bench harness (test/integration/failover/bench/bench.ts)
// with esbuild and runs it against the lab. Needs root and the lab's tools; keepalived on the bench
// machine for the VRRP comparison (VRRPv2 advert_int 1, and VRRPv3 advert_int 0.1 with a graceful
// stop), run in each host's network namespace (Debian: apt-get install -y keepalived).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Inside the repository so the bundle finds node_modules (better-sqlite3, ssh2) at run time.
fs.mkdirSync(path.join(root, 'build'), { recursive: true });
const dir = fs.mkdtempSync(path.join(root, 'build', 'bench-failover-'));
const outfile = path.join(dir, 'bench.cjs');
const harness = path.join(root, 'test/integration/failover/bench');
await build({
  entryPoints: [path.join(harness, 'bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['electron', 'better-sqlite3', 'ssh2', 'cpu-features', 'playwright-core', 'nodemailer'],
  logLevel: 'warning',
});
// The harness reads prober.py next to itself.
fs.copyFileSync(path.join(harness, 'prober.py'), path.join(dir, 'prober.py'));
const require = createRequire(path.join(root, 'package.json'));
const bench = require(outfile);
let code = 1;
try {
  code = await bench.main();
} catch (error) {
  console.error(`bench:failover: ${error?.stack ?? error}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
