/**
 * The duplicate probe of vip.acquire, run by a real /bin/sh against a stand-in `arping` on PATH
 * (the real one needs a network namespace; see the lab test): only proof counts as free.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACQUIRE_EXIT, acquireScript, duplicateProbeScript } from '../../../electron/failover/actions/vip-acquire';
import { VipAcquireParams } from '../../../shared/runbooks';

let bin: string;
beforeAll(() => {
  bin = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-arping-'));
  // Prints $ARPING_OUT after $ARPING_SLEEP seconds and exits $ARPING_RC; records its arguments.
  // A second call prints $ARPING_OUT2 when it is set (a probe run again).
  fs.writeFileSync(
    path.join(bin, 'arping'),
    '#!/bin/sh\nout="$ARPING_OUT"\nif [ -e "$ARPING_ARGS" ] && [ -n "$ARPING_OUT2" ]; then out="$ARPING_OUT2"; fi\necho "$@" >> "$ARPING_ARGS"\nsleep "${ARPING_SLEEP:-0}"\nprintf "%b" "$out"\nexit "${ARPING_RC:-0}"\n',
    { mode: 0o755 },
  );
});
afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

function probe(probeMilliseconds: number, arping: { out: string; rc: number; sleep?: number; second?: string }) {
  const script = ['{', ...duplicateProbeScript("'eth0'", "'10.77.0.10'", probeMilliseconds), '  echo free', '}'].join('\n');
  const args = path.join(bin, `args-${Math.random()}`);
  const result = spawnSync('/bin/sh', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, ARPING_OUT: arping.out, ARPING_RC: String(arping.rc), ARPING_SLEEP: String(arping.sleep ?? 0), ARPING_ARGS: args, ARPING_OUT2: arping.second ?? '' },
  });
  return { code: result.status, stdout: result.stdout, args: fs.existsSync(args) ? fs.readFileSync(args, 'utf8').trim() : '' };
}

const FREE_TWO = 'ARPING 10.77.0.10 from 0.0.0.0 eth0\nSent 2 probes (2 broadcast(s))\nReceived 0 response(s)\n';
const FREE_ONE = 'ARPING 10.77.0.10 from 0.0.0.0 eth0\nSent 1 probes (1 broadcast(s))\nReceived 0 response(s)\n';
const TAKEN = 'ARPING 10.77.0.10 from 0.0.0.0 eth0\nUnicast reply from 10.77.0.10 [02:00:00:00:00:99]  0.6ms\nSent 1 probes (1 broadcast(s))\nReceived 1 response(s)\n';

describe('the duplicate probe', () => {
  it('by default listens 10 ms after its probe, plus arping\'s start-up, once the address is released', () => {
    const script = acquireScript('linux', VipAcquireParams.parse({ address: '10.77.0.10', interface: 'eth0' }));
    expect(script).toContain("timeout -s INT 0.013 arping -D -c 2 -w 1 -I 'eth0' '10.77.0.10'");
  });

  it('the full probe sends two probes over a second under a deadline that covers it', () => {
    expect(duplicateProbeScript("'eth0'", "'10.77.0.10'", 1000)[0]).toContain("timeout -s INT 1.500 arping -D -c 2 -w 1 -I 'eth0' '10.77.0.10'");
    expect(probe(1000, { out: FREE_TWO, rc: 0 })).toMatchObject({ code: 0, stdout: 'free\n', args: '-D -c 2 -w 1 -I eth0 10.77.0.10' });
  });

  it('a short window that closed before a probe was sent listens once more, longer, and still needs proof', () => {
    const sentNothing = 'ARPING 10.77.0.10 from 0.0.0.0 eth0\nSent 0 probes (0 broadcast(s))\nReceived 0 response(s)\n';
    const retried = probe(10, { out: sentNothing, rc: 124, second: FREE_ONE });
    expect(retried).toMatchObject({ code: 0, stdout: 'free\n' });
    expect(retried.args.split('\n')).toHaveLength(2);
    expect(probe(10, { out: sentNothing, rc: 124, second: TAKEN }).code).toBe(ACQUIRE_EXIT.duplicate);
    expect(probe(10, { out: sentNothing, rc: 124 }).code).toBe(ACQUIRE_EXIT.probeFailed);
    // Proof at the first try: arping runs once.
    expect(probe(10, { out: FREE_ONE, rc: 124 }).args.split('\n')).toHaveLength(1);
  });

  it('refuses when anyone answers', () => {
    const result = probe(1000, { out: TAKEN, rc: 1 });
    expect(result.code).toBe(ACQUIRE_EXIT.duplicate);
    expect(result.stdout).toMatch(/lifeboat: duplicate: .*02:00:00:00:00:99/s);
  });

  it('a probe cut by its deadline is not proof, even with no answer', () => {
    // arping never finished its own second: the full mode needs its clean exit.
    expect(probe(1000, { out: FREE_ONE, rc: 124 }).code).toBe(ACQUIRE_EXIT.probeFailed);
  });

  it('a hung arping killed with nothing printed is not proof', () => {
    const result = probe(100, { out: FREE_ONE, rc: 0, sleep: 2 });
    expect(result.code).toBe(ACQUIRE_EXIT.probeFailed);
    expect(result.stdout).toMatch(/no proof the address is free/);
  });

  it('an arping that sent nothing, or failed, is not proof', () => {
    expect(probe(100, { out: 'Sent 0 probes (0 broadcast(s))\nReceived 0 response(s)\n', rc: 124 }).code).toBe(ACQUIRE_EXIT.probeFailed);
    expect(probe(1000, { out: 'arping: socket: Operation not permitted\n', rc: 2 }).code).toBe(ACQUIRE_EXIT.probeFailed);
  });

  it('a short window counts one probe sent with no answer as free', () => {
    expect(probe(50, { out: FREE_ONE, rc: 124 })).toMatchObject({ code: 0, stdout: 'free\n' });
    expect(duplicateProbeScript("'eth0'", "'10.77.0.10'", 50)[0]).toContain('timeout -s INT 0.053 arping -D -c 2 -w 1');
  });
});
