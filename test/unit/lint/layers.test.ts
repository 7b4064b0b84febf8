import { builtinModules } from 'node:module';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
const RULE = 'lifeboat/layers';

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('the layer rule (docs/architecture.md) is enforced by lint', () => {
  it.each([
    ['shared/x.ts', "import { openApp } from '../electron/app';\nexport const x = openApp;\n"],
    ['shared/x.ts', "import { App } from '../renderer/src/App';\nexport const x = App;\n"],
    ['shared/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['shared/x.ts', "import fs from 'fs';\nexport const x = fs;\n"],
    ['shared/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/x.ts', "import { App } from '../renderer/src/App';\nexport const x = App;\n"],
    ['renderer/src/x.ts', "import { openApp } from '../../electron/app';\nexport const x = openApp;\n"],
    ['renderer/src/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    // Bare Node built-ins in the renderer, sub-paths included.
    ['renderer/src/x.ts', "import fs from 'fs';\nexport const x = fs;\n"],
    ['renderer/src/x.ts', "import zlib from 'zlib';\nexport const x = zlib;\n"],
    ['renderer/src/x.tsx', "import { readFile } from 'fs/promises';\nexport const x = readFile;\n"],
    ['renderer/src/x.ts', "import { Buffer } from 'buffer';\nexport const x = Buffer;\n"],
    // Main-process packages in renderer/ or shared/.
    ...['better-sqlite3', 'ssh2', 'ws', 'electron', 'nodemailer'].flatMap((name) => [
      ['renderer/src/x.ts', `import m from '${name}';\nexport const x = m;\n`],
      ['shared/x.ts', `import m from '${name}';\nexport const x = m;\n`],
    ]),
    ['renderer/src/x.ts', "import { Client } from 'ssh2/lib/client';\nexport const x = Client;\n"],
    ['shared/x.ts', "import { create } from 'zustand';\nexport const x = create;\n"],
    // require() in any form.
    ['renderer/src/x.ts', "const fs = require('fs');\nexport const x = fs;\n"],
    ['shared/x.ts', "const Database = require('better-sqlite3');\nexport const x = Database;\n"],
    ['shared/x.ts', "const p = require.resolve('node:path');\nexport const x = p;\n"],
    ['renderer/src/x.ts', "import fs = require('fs');\nexport const x = fs;\n"],
    ['shared/x.ts', "const app = require('../electron/app');\nexport const x = app;\n"],
    // Dynamic import() across a layer.
    ['electron/x.ts', "export const x = () => import('../renderer/src/App');\n"],
    ['electron/x.ts', 'export const x = () => import(`../renderer/src/App`);\n'],
    ['renderer/src/x.ts', "export const x = () => import('node:fs');\n"],
    // Type-level imports and re-exports.
    ['shared/x.ts', "export type App = import('../electron/app').App;\n"],
    ['shared/x.ts', "import type { App } from '../electron/app';\nexport type X = App;\n"],
    ['shared/x.ts', "export { openApp } from '../electron/app';\n"],
    ['shared/x.ts', "export * from '../electron/app';\n"],
    ['renderer/src/x.ts', "export type Db = import('better-sqlite3').Database;\n"],
  ])('refuses %s naming across a layer: %j', async (file, code) => {
    expect(await ruleIds(file, code)).toContain(RULE);
  });

  it('refuses every Node built-in module in renderer/ and shared/', async () => {
    const modules = builtinModules.filter((name) => !name.startsWith('_'));
    expect(modules).toContain('zlib');
    for (const name of modules) {
      for (const file of ['renderer/src/x.ts', 'shared/x.ts']) {
        expect(await ruleIds(file, `import m from '${name}';\nexport const x = m;\n`), `${file}: ${name}`).toContain(
          RULE,
        );
      }
    }
  });

  it.each([
    [
      'electron/x.ts',
      "import { methods } from '../shared/contract';\nimport fs from 'node:fs';\nexport const x = [methods, fs];\n",
    ],
    [
      'electron/x.ts',
      "import Database from 'better-sqlite3';\nconst ssh = require('ssh2');\nexport const x = [Database, ssh];\n",
    ],
    ['renderer/src/x.ts', "import { methods } from '../../shared/contract';\nexport const x = methods;\n"],
    [
      'renderer/src/x.tsx',
      "import { useState } from 'react';\nimport { create } from 'zustand';\nexport const x = [useState, create];\n",
    ],
    ['renderer/src/x.ts', "export const x = () => import('./features/Lazy');\n"],
    ['shared/x.ts', "import { z } from 'zod';\nexport const x = z;\n"],
    ['shared/x.ts', "export type D = import('./domain').Server;\n"],
    [
      'test/x.ts',
      "import fs from 'node:fs';\nimport { openApp } from '../electron/app';\nexport const x = [fs, openApp];\n",
    ],
  ])('allows %s importing downwards: %j', async (file, code) => {
    expect(await ruleIds(file, code)).not.toContain(RULE);
  });
});
