// electron-builder's afterPack hook: burn Lifeboat's Electron fuses into the packaged binary, before
// it is signed. The main process holds decrypted SSH keys, so the binary must not run as plain Node
// (RunAsNode, NODE_OPTIONS), must not accept an inspector (--inspect*), and must load the app only
// from its asar archive, whose integrity Electron checks where it can (macOS, Windows).
'use strict';
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** The fuses Lifeboat sets; any fuse not named keeps Electron's default. */
const LIFEBOAT_FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
};

/** electron-builder's Arch enum value for arm64 (builder-util: x64 1, ia32 0, armv7l 2, arm64 3, universal 4). */
const ARM64 = 3;

/** The file that carries the fuse wire: the .app bundle on macOS, the executable elsewhere. */
function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas')
    return path.join(appOutDir, `${product}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${product}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  const binary = electronBinary(context);
  await flipFuses(binary, {
    version: FuseVersion.V1,
    // Flipping fuses invalidates the ad-hoc signature Apple silicon needs before the real one.
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === ARM64,
    ...LIFEBOAT_FUSES,
  });
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.LIFEBOAT_FUSES = LIFEBOAT_FUSES;
module.exports.electronBinary = electronBinary;
