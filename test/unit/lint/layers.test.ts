import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('the layer rule (DESIGN.md) is enforced by lint', () => {
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
  ])('refuses %s importing across a layer: %j', async (file, code) => {
    expect(await ruleIds(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['electron/x.ts', "import { methods } from '../shared/contract';\nimport fs from 'node:fs';\nexport const x = [methods, fs];\n"],
    ['renderer/src/x.ts', "import { methods } from '../../shared/contract';\nexport const x = methods;\n"],
    ['shared/x.ts', "import { z } from 'zod';\nexport const x = z;\n"],
  ])('allows %s importing downwards: %j', async (file, code) => {
    expect(await ruleIds(file, code)).not.toContain('no-restricted-imports');
  });
});
