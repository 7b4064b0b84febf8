/**
 * The lab's Debian root: built once with debootstrap from this machine's configured Debian mirror,
 * cached outside the checkout under /var/cache/lifeboat-lab/root-<hash of the recipe>, and rebuilt
 * only when the recipe (root-recipe.ts) changes. Hosts never write to it: each boots through an
 * overlay with its own upper layer.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runOk, run } from './proc';
import {
  ANSWER_PY,
  BASE_PACKAGES,
  CONFIGURE_SH,
  DEBIAN_PG,
  LATE_PACKAGES,
  NGINX_SITE,
  PG_HBA,
  PG_LAB_CONF,
  SSHD_LAB_CONF,
  SUITE,
  UNIT_FILES,
} from './root-recipe';
import { findTool, TAGGED_ENV } from './tools';

export const CACHE_DIR = process.env.LIFEBOAT_LAB_CACHE || '/var/cache/lifeboat-lab';
const COMPLETE = '.lifeboat-lab-root';
/** Bumped when the build steps below change in a way the recipe values do not show. */
const BUILDER_VERSION = 1;

export function recipeHash(): string {
  const recipe = {
    BUILDER_VERSION,
    SUITE,
    BASE_PACKAGES,
    LATE_PACKAGES,
    DEBIAN_PG,
    UNIT_FILES,
    ANSWER_PY,
    NGINX_SITE,
    SSHD_LAB_CONF,
    PG_LAB_CONF,
    PG_HBA,
    CONFIGURE_SH,
  };
  return crypto.createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 16);
}

export function rootDir(): string {
  return path.join(CACHE_DIR, `root-${recipeHash()}`);
}

/** The cached root, or null when it has not been built (or its build did not finish). */
export function cachedRoot(): string | null {
  const dir = rootDir();
  return fs.existsSync(path.join(dir, COMPLETE)) ? dir : null;
}

/** The Debian mirror this machine's apt uses (deb822 .sources or one-line sources.list). */
export function debianMirror(): string {
  const files = ['/etc/apt/sources.list'];
  try {
    for (const f of fs.readdirSync('/etc/apt/sources.list.d').sort())
      files.push(path.join('/etc/apt/sources.list.d', f));
  } catch {
    /* none */
  }
  for (const file of files) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const m = /^\s*(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(https?:\/\/\S+)/.exec(line);
      if (m && /\/debian\/?$/.test(m[1])) return m[1].replace(/\/$/, '');
    }
  }
  throw new Error('no Debian mirror (a URI ending in /debian) in /etc/apt/sources.list or /etc/apt/sources.list.d');
}

function writeInto(root: string, file: string, content: string, mode = 0o644): void {
  const target = path.join(root, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content, { mode });
  fs.chmodSync(target, mode);
}

/**
 * Build the root unless it is cached. Takes about a minute on a warm mirror; bounded by `timeoutMs`.
 * Callers hold the lab lock (no two builds at once).
 */
export async function ensureRoot(opts: { log?: (line: string) => void; timeoutMs?: number } = {}): Promise<string> {
  const cached = cachedRoot();
  if (cached) return cached;
  const log = opts.log ?? (() => {});
  const debootstrap = findTool('debootstrap');
  const nspawn = findTool('systemd-nspawn');
  if (!debootstrap || !nspawn)
    throw new Error(
      'building the lab root needs debootstrap and systemd-nspawn (apt-get install --no-install-recommends debootstrap systemd-container)',
    );
  const deadline = Date.now() + (opts.timeoutMs ?? 900_000);
  const left = () => Math.max(1_000, deadline - Date.now());
  const final = rootDir();
  const building = `${final}.building-${process.pid}`;
  fs.mkdirSync(CACHE_DIR, { recursive: true, mode: 0o755 });
  // Leftovers of interrupted builds (the lab lock makes sure nobody else is building now).
  for (const name of fs.readdirSync(CACHE_DIR))
    if (name.includes('.building-')) fs.rmSync(path.join(CACHE_DIR, name), { recursive: true, force: true });
  const started = Date.now();
  const mirror = debianMirror();
  log(`building the lab root ${final} from ${mirror} (debootstrap ${SUITE}, once; cached afterwards)`);
  try {
    await runOk(debootstrap, ['--variant=minbase', `--include=${BASE_PACKAGES.join(',')}`, SUITE, building, mirror], {
      timeoutMs: left(),
      env: { ...TAGGED_ENV },
    });
    log(`debootstrap done (${Math.round((Date.now() - started) / 1000)} s)`);
    for (const [name, content] of Object.entries(UNIT_FILES))
      writeInto(building, `etc/systemd/system/${name}`, content);
    writeInto(building, 'usr/local/lib/lab/answer.py', ANSWER_PY);
    writeInto(building, 'etc/nginx/sites-available/lab', NGINX_SITE);
    fs.symlinkSync('../sites-available/lab', path.join(building, 'etc/nginx/sites-enabled/lab'));
    writeInto(building, 'etc/ssh/sshd_config.d/lab.conf', SSHD_LAB_CONF);
    writeInto(building, 'usr/local/lib/lab/recipe/pg-lab.conf', PG_LAB_CONF);
    writeInto(building, 'usr/local/lib/lab/recipe/pg_hba.conf', PG_HBA);
    await runOk(
      nspawn,
      ['--quiet', '--register=no', '--keep-unit', '--pipe', '-D', building, '--', '/bin/sh', '-c', CONFIGURE_SH],
      { timeoutMs: left(), env: { ...TAGGED_ENV } },
    );
    fs.rmSync(path.join(building, 'usr/local/lib/lab/recipe'), { recursive: true, force: true });
    fs.writeFileSync(path.join(building, COMPLETE), `built ${new Date().toISOString()} from ${mirror}\n`);
    fs.renameSync(building, final);
  } catch (error) {
    fs.rmSync(building, { recursive: true, force: true });
    throw error;
  }
  // Older roots (another recipe) only take space.
  for (const name of fs.readdirSync(CACHE_DIR)) {
    const dir = path.join(CACHE_DIR, name);
    if (name.startsWith('root-') && dir !== final) fs.rmSync(dir, { recursive: true, force: true });
  }
  const du = await run('/usr/bin/du', ['-sm', final], { timeoutMs: 60_000 });
  log(`lab root built in ${Math.round((Date.now() - started) / 1000)} s (${du.stdout.split('\t')[0]} MB)`);
  return final;
}
