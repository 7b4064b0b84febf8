/**
 * The afterPack hook burns Lifeboat's fuses into the packaged binary of each platform, checked with
 * @electron/fuses' own reader and by reading the wire bytes by hand, on stand-in app directories.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, describe, expect, it } from 'vitest';
import { binaryWithFuseWire, ELECTRON_DEFAULT_WIRE, readWire } from '../../helpers/electron-standin';
import { tempDir } from '../../helpers/workspace';

const require = createRequire(import.meta.url);
const afterPack = require('../../../scripts/after-pack.cjs') as ((context: unknown) => Promise<void>) & {
  LIFEBOAT_FUSES: Record<number, boolean>;
};

let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What electron-builder hands the hook, for one platform. */
function context(platform: string, arch = 1) {
  return {
    appOutDir: dir,
    electronPlatformName: platform,
    arch,
    packager: { appInfo: { productFilename: 'Lifeboat' }, executableName: 'lifeboat-desktop' },
  };
}

/** A fuse's byte in the wire: ASCII '0' off, '1' on. */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 };

// RunAsNode, NODE_OPTIONS and --inspect off; asar integrity and only-asar on; the rest as Electron ships them.
const EXPECTED_WIRE = '000011011';

describe('the afterPack fuse hook', () => {
  it('on Linux: the executable gets RunAsNode, NODE_OPTIONS and inspect off, only-asar and asar integrity on', async () => {
    dir = tempDir('lifeboat-fuses-');
    const binary = path.join(dir, 'lifeboat-desktop');
    fs.writeFileSync(binary, binaryWithFuseWire(), { mode: 0o755 });
    expect(readWire(binary)).toBe(ELECTRON_DEFAULT_WIRE);

    await afterPack(context('linux'));

    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(readWire(binary)).toBe(EXPECTED_WIRE);
    expect(fs.statSync(binary).mode & 0o777).toBe(0o755);
  });

  it('on Windows the .exe and on macOS the framework inside the .app carry the fuses', async () => {
    dir = tempDir('lifeboat-fuses-');
    const exe = path.join(dir, 'Lifeboat.exe');
    fs.writeFileSync(exe, binaryWithFuseWire());
    await afterPack(context('win32'));
    expect(readWire(exe)).toBe(EXPECTED_WIRE);

    const framework = path.join(
      dir,
      'Lifeboat.app',
      'Contents',
      'Frameworks',
      'Electron Framework.framework',
      'Electron Framework',
    );
    fs.mkdirSync(path.dirname(framework), { recursive: true });
    fs.writeFileSync(framework, binaryWithFuseWire());
    await afterPack(context('darwin', 1));
    expect(readWire(framework)).toBe(EXPECTED_WIRE);
  });

  it('refuses a binary without a fuse wire instead of shipping it unfused', async () => {
    dir = tempDir('lifeboat-fuses-');
    fs.writeFileSync(path.join(dir, 'lifeboat-desktop'), Buffer.alloc(1024));
    await expect(afterPack(context('linux'))).rejects.toThrow(/sentinel/);
  });

  it('names exactly the five fuses Lifeboat sets', () => {
    expect(afterPack.LIFEBOAT_FUSES).toEqual({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    });
  });
});
