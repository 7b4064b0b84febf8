// `npm run bench:failover`: bundles the bench harness (test/integration/failover/bench/bench.ts)
// with esbuild and runs it against the lab. Needs root and the lab's tools; keepalived on the bench
// machine for the VRRP comparison (VRRPv2 advert_int 1, and VRRPv3 advert_int 0.1 with a graceful
// stop), run in each host's network namespace (Debian: apt-get install -y keepalived).
import path from 'node:path';
import { bundleHarness, ROOT } from './lib/bundle.mjs';

const harness = path.join(ROOT, 'test/integration/failover/bench');
// The harness reads prober.py next to itself.
const bench = await bundleHarness('bench-failover', path.join(harness, 'bench.ts'), [path.join(harness, 'prober.py')]);
let code = 1;
try {
  code = await bench.module.main();
} catch (error) {
  console.error(`bench:failover: ${error?.stack ?? error}`);
} finally {
  bench.dispose();
}
process.exit(code);
