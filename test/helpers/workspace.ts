/** A fresh workspace in a temporary directory, with the dispatcher every transport uses. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, type App, type AppOptions } from '../../electron/app';

export interface TempWorkspace extends App {
  dir: string;
  file: string;
  /** Call a method and return the value, failing the test on an error envelope. */
  ok<T = unknown>(method: string, payload?: unknown): Promise<T>;
  cleanup(): void;
}

export function tempDir(prefix = 'lifeboat-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** `options` as openApp takes them (a scripted runner, or null for a process with no SSH engine). */
export function openTempWorkspace(options: AppOptions = {}): TempWorkspace {
  const dir = tempDir();
  const file = path.join(dir, 'workspace.db');
  const app = openApp(file, () => {}, options);
  return {
    ...app,
    dir,
    file,
    async ok<T>(method: string, payload: unknown = {}) {
      const envelope = await app.dispatcher.dispatch(method, payload);
      if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.code}: ${envelope.error.message}`);
      return envelope.value as T;
    },
    cleanup() {
      app.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
