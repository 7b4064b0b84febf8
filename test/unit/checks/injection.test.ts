/**
 * Every check field that reaches a remote script, given a value the schema accepts but a shell
 * would run (quotes, $(…), backticks, ;, spaces), is run in a real `/bin/sh -s` as the SSH engine
 * runs it: the value must stay data, so the marker file is never created.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCheck } from '../../../electron/checks/plan';
import { sweep } from '../../../electron/checks/sweep';
import { CheckDraft } from '../../../shared/checks';
import { tempDir } from '../../helpers/workspace';
import { check, loopbackInventory } from './fixtures';
import { LocalShellRunner } from './runners';

const inventory = loopbackInventory();

let dir: string;
let marker: string;
/** A value a shell would act on in every way it could: each one would create the marker. */
const hostile = () => `/tmp/x'; touch ${marker}; '$(touch ${marker})\`touch ${marker}\` && touch ${marker} #`;

beforeAll(() => {
  dir = tempDir('lifeboat-inject-');
  marker = path.join(dir, 'pwned');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cases: [string, () => unknown][] = [
  ['disk path', () => ({ kind: 'disk', name: 'd', serverId: 1, params: { path: hostile() } })],
  [
    'freshness path',
    () => ({ kind: 'freshness', name: 'f', serverId: 1, params: { path: hostile(), maxAgeMinutes: 5 } }),
  ],
  ['drift paths', () => ({ kind: 'drift', name: 'dr', groupId: 10, params: { paths: [hostile(), '/etc/hostname'] } })],
  ['postgres socket directory', () => ({ kind: 'postgres', name: 'p', groupId: 10, params: { socketDir: hostile() } })],
  [
    'http expected body text',
    () => ({
      kind: 'http',
      name: 'h',
      serverId: 1,
      params: {
        url: 'http://127.0.0.1:9/',
        bodyContains: `'; touch ${marker}; '$(touch ${marker})\`touch ${marker}\``,
      },
    }),
  ],
];

describe('hostile values in every field that reaches a check script', () => {
  it('uses a value that a shell would indeed act on (the control: unquoted, it makes the marker)', () => {
    spawnSync('/bin/sh', ['-c', `ls ${hostile()}`], { stdio: 'ignore', timeout: 5_000 });
    expect(fs.existsSync(marker)).toBe(true);
    fs.rmSync(marker);
  });

  for (const [field, make] of cases) {
    it(`keeps the ${field} as data`, async () => {
      const parsed = CheckDraft.safeParse(make());
      // The schema accepts it: only the quoting stands between the value and the shell.
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      const planned = planCheck(check({ ...(parsed.data as CheckDraft), timeoutSeconds: 10 }), inventory);
      expect(planned.problem).toBeNull();
      const report = await sweep([planned], new LocalShellRunner());
      expect(report.runs).toHaveLength(1);
      expect(fs.existsSync(marker)).toBe(false);
    });
  }

  it('refuses at the schema what cannot be quoted safely: a unit name or TCP host with shell text', () => {
    expect(
      CheckDraft.safeParse({ kind: 'service', name: 's', serverId: 1, params: { unit: `x;touch ${marker}` } }).success,
    ).toBe(false);
    expect(
      CheckDraft.safeParse({ kind: 'tcp', name: 't', serverId: 1, params: { host: `$(touch ${marker})`, port: 22 } })
        .success,
    ).toBe(false);
    expect(
      CheckDraft.safeParse({ kind: 'disk', name: 'd', serverId: 1, params: { path: `/srv/a\ntouch ${marker}` } })
        .success,
    ).toBe(false);
  });
});
