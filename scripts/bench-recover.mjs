// `npm run bench:recover`: bundles the recovery bench (test/integration/failover/bench/recover.ts)
// with esbuild and runs it against the lab: a whole-company recovery of the example in one run,
// then the same groups failed over one after another. Needs root and the lab's tools, and psql on
// the bench machine (the writes through the db VIP).
import path from 'node:path';
import { bundleHarness, ROOT } from './lib/bundle.mjs';

const harness = path.join(ROOT, 'test/integration/failover/bench');
// The harness reads prober.py next to itself.
const bench = await bundleHarness('bench-recover', path.join(harness, 'recover.ts'), [path.join(harness, 'prober.py')]);
let code = 1;
try {
  code = await bench.module.main();
} catch (error) {
  console.error(`bench:recover: ${error?.stack ?? error}`);
} finally {
  bench.dispose();
}
process.exit(code);
