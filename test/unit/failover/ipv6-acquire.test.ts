/**
 * IPv6 acquire in a real sh with a scripted `ip`: the kernel's own duplicate detection is waited
 * for (bounded), "dadfailed" takes the address away again and refuses, and a leftover dadfailed
 * copy does not count as already held.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACQUIRE_EXIT, acquireScript } from '../../../electron/failover/actions/vip-acquire';
import { VipAcquireParams } from '../../../shared/runbooks';

let bin: string;
beforeAll(() => {
  bin = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-ip6-'));
  // `ip addr add` puts the address in $STATE as tentative; each later read counts down $AFTER reads,
  // then shows it as $FINAL ("" for settled, or "dadfailed tentative"). `ip addr del` removes it.
  fs.writeFileSync(
    path.join(bin, 'ip'),
    `#!/bin/sh
case "$*" in
  *"addr add"*) echo "2: eth0    inet6 2001:db8::10/64 scope global tentative" > "$STATE"; echo 0 > "$STATE.n"; exit 0 ;;
  *"addr del"*) : > "$STATE"; echo deleted >> "$STATE.log"; exit 0 ;;
esac
n=$(cat "$STATE.n" 2>/dev/null || echo 0); echo $((n + 1)) > "$STATE.n"
if [ -s "$STATE" ] && [ "$n" -ge "$AFTER" ]; then sed -i "s/ tentative\$/ $FINAL/" "$STATE"; fi
echo "1: lo    inet 127.0.0.1/8 scope host lo"
cat "$STATE" 2>/dev/null
exit 0
`,
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(bin, 'sleep'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
});
afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

function acquire(opts: { initial?: string; after: number; final: string }) {
  const state = path.join(bin, `state-${Math.random()}`);
  fs.writeFileSync(state, opts.initial ?? '');
  const script = acquireScript(
    'linux',
    VipAcquireParams.parse({ address: '2001:db8::10', prefix: 64, interface: 'eth0' }),
  );
  const result = spawnSync('/bin/sh', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, STATE: state, AFTER: String(opts.after), FINAL: opts.final },
  });
  return {
    code: result.status,
    stdout: result.stdout,
    state: fs.readFileSync(state, 'utf8'),
    deleted: fs.existsSync(`${state}.log`),
  };
}

describe('IPv6 acquire', () => {
  it('waits while the address is tentative and ends with it settled', () => {
    const result = acquire({ after: 4, final: '' });
    expect(result.code).toBe(0);
    expect(result.state).toContain('2001:db8::10/64 scope global');
    expect(result.state).not.toContain('tentative');
  });

  it('takes the address away again and refuses when the kernel finds a duplicate', () => {
    const result = acquire({ after: 3, final: 'dadfailed tentative' });
    expect(result.code).toBe(ACQUIRE_EXIT.duplicate);
    expect(result.stdout).toContain('dadfailed');
    expect(result.deleted).toBe(true);
    expect(result.state).toBe('');
  });

  it('does not take a leftover dadfailed copy for "already held"', () => {
    const result = acquire({
      initial: '2: eth0    inet6 2001:db8::10/64 scope global dadfailed tentative\n',
      after: 1,
      final: '',
    });
    expect(result.stdout).not.toContain('already held');
    expect(result.code).toBe(0);
  });
});
