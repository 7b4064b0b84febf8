/**
 * electron-builder run on electron-builder.yml as committed, for Linux, with a stand-in Electron
 * (the real one cannot be downloaded here): what goes into app.asar, the `lifeboat` command beside
 * the app, the fuses the afterPack hook burns in, and the desktop entry the deb and AppImage carry.
 * Needs the built app (npm run build).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { listPackage } from '@electron/asar';
import { build, Platform, type AfterPackContext } from 'electron-builder';
import { LinuxTargetHelper } from 'app-builder-lib/out/targets/LinuxTargetHelper';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElectronStandin, readWire } from '../../helpers/electron-standin';
import { tempDir } from '../../helpers/workspace';

const root = path.resolve(__dirname, '../../..');
const require = createRequire(import.meta.url);
const config = YAML.parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { afterPack: string };
const afterPack = require(path.join(root, config.afterPack)) as (context: AfterPackContext) => Promise<void>;

let dir = '';
let appDir = '';
let asarFiles: string[] = [];
let desktopEntry = '';

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, 'dist', 'electron', 'main.cjs')))
    throw new Error('dist/ is not built: run npm run build first');
  dir = tempDir('lifeboat-package-');
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir'),
    publish: 'never',
    // Only what this machine forces; everything else comes from electron-builder.yml itself.
    config: {
      electronDist: makeElectronStandin(path.join(dir, 'electron')),
      electronVersion: (require(path.join(root, 'node_modules', 'electron', 'package.json')) as { version: string })
        .version,
      npmRebuild: false, // rebuilding better-sqlite3 for Electron needs Electron's headers, a download
      directories: { output: path.join(dir, 'out'), buildResources: 'assets/packaging' },
      afterPack: async (context: AfterPackContext) => {
        await afterPack(context);
        // What the deb and AppImage targets write, from the same packager and options.
        desktopEntry = await new LinuxTargetHelper(context.packager as never).computeDesktopEntry(
          context.packager.platformSpecificBuildOptions as never,
        );
      },
    },
  });
  appDir = path.join(dir, 'out', 'linux-unpacked');
  asarFiles = listPackage(path.join(appDir, 'resources', 'app.asar'), { isPack: false });
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the Linux desktop package (electron-builder on a stand-in Electron)', () => {
  it('packs the built app and its runtime modules, and nothing of the sources, tests, maps or the lab', () => {
    for (const file of [
      '/package.json',
      '/dist/electron/main.cjs',
      '/dist/electron/preload.cjs',
      '/dist/electron/cli.cjs',
      '/dist/renderer/index.html',
    ]) {
      expect(asarFiles).toContain(file);
    }
    for (const module of ['better-sqlite3', 'ssh2', 'nodemailer'])
      expect(asarFiles).toContain(`/node_modules/${module}`);
    expect(asarFiles.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(asarFiles).not.toContain('/dist/lab.cjs');
    expect(asarFiles.filter((file) => /^\/(electron|shared|renderer|test|scripts|assets)\//.test(file))).toEqual([]);
    // Development tools stay out: the packaged app carries no Electron package, builder, test runner or Playwright.
    for (const module of [
      'electron',
      'electron-builder',
      'vitest',
      'typescript',
      'playwright-core',
      '@electron/fuses',
    ]) {
      expect(asarFiles).not.toContain(`/node_modules/${module}`);
    }
  });

  it('unpacks the SQLite addon (native code cannot load from inside the archive)', () => {
    const unpacked = path.join(
      appDir,
      'resources',
      'app.asar.unpacked',
      'node_modules',
      'better-sqlite3',
      'build',
      'Release',
      'better_sqlite3.node',
    );
    expect(fs.existsSync(unpacked)).toBe(true);
  });

  it('ships the `lifeboat` command beside the app, running the CLI in the app binary it names', () => {
    const command = path.join(appDir, 'resources', 'bin', 'lifeboat');
    expect(fs.statSync(command).mode & 0o111).toBe(0o111);
    const script = fs.readFileSync(command, 'utf8');
    const target = /exec "\$here\/([^"]+)" --lifeboat-cli "\$@"/.exec(script);
    expect(target).not.toBeNull();
    expect(fs.existsSync(path.resolve(path.dirname(command), target![1]))).toBe(true);
    expect(path.resolve(path.dirname(command), target![1])).toBe(path.join(appDir, 'lifeboat-desktop'));
  });

  it('burns the fuses into the packaged binary', () => {
    // RunAsNode, NODE_OPTIONS, --inspect off; asar integrity, only-asar on; the rest as Electron ships them.
    expect(readWire(path.join(appDir, 'lifeboat-desktop'))).toBe('000011011');
  });

  it('writes a desktop entry that starts the window binary, in the System category', () => {
    const fields = Object.fromEntries(
      desktopEntry
        .split('\n')
        .slice(1)
        .map((line) => line.split(/=(.*)/s, 2) as [string, string]),
    );
    expect(desktopEntry.split('\n')[0]).toBe('[Desktop Entry]');
    expect(fields).toMatchObject({
      Name: 'Lifeboat',
      Exec: '/opt/Lifeboat/lifeboat-desktop %U',
      Terminal: 'false',
      Type: 'Application',
      Icon: 'lifeboat-desktop',
      Categories: 'System;',
      Comment: 'Desktop console that keeps a small business running when one of its servers dies',
    });
  });
});
