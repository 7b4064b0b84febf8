// What `npm start` runs, decided apart from running it so that tests can check the decision:
// the Electron window where Electron can run, otherwise the headless host and the reason why.
import path from 'node:path';

/** True where a Linux desktop session is missing (DISPLAY and WAYLAND_DISPLAY unset). */
export function lacksDisplay(platform, env) {
  return platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY;
}

/**
 * { kind: 'electron', binary, binding } or { kind: 'headless', reason }. The steps are functions
 * so that nothing is fetched or built when an earlier step already decided:
 * findElectron() → path | null; fetchElectron() → problem | null; buildNative() → { binding } | { problem }.
 */
export function chooseConsole({ platform, env, findElectron, fetchElectron, buildNative }) {
  // No point fetching a browser engine, or compiling for it, when it has nowhere to draw.
  if (lacksDisplay(platform, env))
    return { kind: 'headless', reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  let binary = findElectron();
  let problem = null;
  if (!binary) {
    problem = fetchElectron();
    binary = findElectron();
  }
  if (!binary)
    return {
      kind: 'headless',
      reason: `the Electron binary is not installed and ${problem ?? 'the installer did not provide it'}`,
    };
  const native = buildNative();
  if (native.problem)
    return { kind: 'headless', reason: `Electron needs better-sqlite3 built for its own ABI, and ${native.problem}` };
  return { kind: 'electron', binary, binding: native.binding };
}

/** The line printed before the headless host's own "Open: <url>" line. */
export function headlessNotice(reason) {
  return `lifeboat: ${reason}, so the console runs headless: open the URL below in a browser.`;
}

/** `node bin/lifeboat.cjs [--db FILE] serve [--port N]`'s arguments. */
export function headlessArgs(root, options) {
  const args = [path.join(root, 'bin', 'lifeboat.cjs')];
  if (options.db) args.push('--db', options.db);
  args.push('serve');
  if (options.port) args.push('--port', options.port);
  return args;
}

/** Electron's environment: the Electron-ABI SQLite addon named, ELECTRON_RUN_AS_NODE removed. */
export function electronEnv(env, binding) {
  const next = { ...env, LIFEBOAT_SQLITE_BINDING: binding };
  delete next.ELECTRON_RUN_AS_NODE; // set, it would make Electron a plain Node and the window would never open
  return next;
}
