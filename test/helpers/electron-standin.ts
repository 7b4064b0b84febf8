/**
 * A stand-in for Electron's prebuilt directory, for packaging tests where Electron cannot be
 * downloaded: the files electron-builder copies, with an `electron` executable that carries a fuse
 * wire in the format Electron embeds (the sentinel, the wire version, its length, then one ASCII byte
 * per fuse: '0' off, '1' on, 'r' removed).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The marker Electron puts right before its fuse wire. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * Electron 45's defaults, in wire order: RunAsNode on, cookie encryption off, NODE_OPTIONS on,
 * inspect arguments on, asar integrity off, only-asar off, browser V8 snapshot off, file protocol
 * privileges on, WebAssembly trap handlers on.
 */
export const ELECTRON_DEFAULT_WIRE = '101100011';

/** Bytes of a binary with the fuse wire somewhere in the middle, as in a real one. */
export function binaryWithFuseWire(wire: string = ELECTRON_DEFAULT_WIRE): Buffer {
  return Buffer.concat([
    crypto.randomBytes(4096),
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, wire.length]),
    Buffer.from(wire, 'latin1'),
    crypto.randomBytes(4096),
  ]);
}

/** The wire as it stands in a binary (one character per fuse), read by hand, not by the library. */
export function readWire(file: string): string {
  const bytes = fs.readFileSync(file);
  const at = bytes.indexOf(Buffer.from(FUSE_SENTINEL, 'latin1'));
  if (at < 0) throw new Error(`${file} has no fuse sentinel`);
  const start = at + FUSE_SENTINEL.length;
  if (bytes[start] !== 1) throw new Error(`${file}: fuse wire version ${bytes[start]}`);
  return bytes.subarray(start + 2, start + 2 + bytes[start + 1]).toString('latin1');
}

/** Make an Electron stand-in directory for Linux in `dir` (what electron-builder's `electronDist` points at). */
export function makeElectronStandin(dir: string): string {
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'electron'), binaryWithFuseWire(), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'chrome-sandbox'), Buffer.alloc(64), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'stand-in for Electron\n');
  fs.writeFileSync(path.join(dir, 'version'), '45.6.1');
  fs.writeFileSync(path.join(dir, 'resources', 'default_app.asar'), 'stand-in');
  return dir;
}
