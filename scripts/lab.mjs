// `npm run lab`: start the lab of namespaced hosts (root, Linux), write a workspace that describes
// it (host keys pinned, default checks), and open the console on that workspace (`npm start`).
// `npm run lab:down` removes every namespace, process and file the lab made.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const labCli = path.join(root, 'dist', 'lab.cjs');
const dir = process.env.LIFEBOAT_LAB_DIR ?? '/tmp/lifeboat-lab';
const workspace = path.join(dir, 'workspace.db');

if (!fs.existsSync(labCli)) {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), 'main'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const up = spawnSync(
  process.execPath,
  [labCli, 'up', '--dir', dir, '--workspace', workspace, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
if (up.status !== 0) process.exit(up.status ?? 1);
console.log(`\nOpening the console on ${workspace} (npm run lab:down stops the lab).`);
const start = spawnSync(process.execPath, [path.join(root, 'scripts', 'start.mjs'), '--db', workspace], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(start.status ?? 0);
