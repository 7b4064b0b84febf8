/**
 * The duplicate probe of vip.acquire, run by a real /bin/sh against a stand-in `arping` on PATH
 * (the real one needs a network namespace; see the lab tests): three probes, each must be sent and
 * end with its statistics; any answer refuses; only proof counts as free.
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
  // Each call claims the next slot (mkdir is atomic: the three runs start at once) and prints
  // $ARPING_OUT_<slot> (else $ARPING_OUT) with exit $ARPING_RC_<slot> (else 0) when interrupted,
  // or after 2 s by itself (arping's own deadline). $ARPING_DEAF_<slot>=1 ignores SIGINT. Python,
  // not sh: a shell cannot trap SIGINT in a background job, a program (like arping) can.
  fs.writeFileSync(
    path.join(bin, 'arping'),
    `#!/usr/bin/env python3
import os, signal, sys, time
d = os.environ['ARPING_DIR']
for i in range(1, 10):
    try:
        os.mkdir(f'{d}/{i}')
        break
    except FileExistsError:
        pass
env = os.environ
out = env.get(f'ARPING_OUT_{i}', env.get('ARPING_OUT', '')).encode().decode('unicode_escape')
rc = int(env.get(f'ARPING_RC_{i}', '0'))
def finish(*_):
    sys.stdout.write(out); sys.stdout.flush(); os._exit(rc)
signal.signal(signal.SIGINT, signal.SIG_IGN if env.get(f'ARPING_DEAF_{i}') == '1' else finish)
time.sleep(2)
finish()
`,
    { mode: 0o755 },
  );
});
afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

/** Run the whole IPv4 acquire with the stand-in arping and an `ip` that shows $IP_SHOW and records adds in $IP_LOG. */
function acquire(env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(bin, 'acquire-'));
  const ip = path.join(dir, 'ip');
  fs.writeFileSync(
    ip,
    '#!/bin/sh\ncase "$*" in *"addr add"*) echo "$*" >> "$IP_LOG"; exit 0 ;; esac\nprintf "%b" "$IP_SHOW"\n',
    { mode: 0o755 },
  );
  const log = path.join(dir, 'log');
  const script = acquireScript('linux', VipAcquireParams.parse({ address: '10.77.0.10', interface: 'eth0' }));
  const result = spawnSync('/bin/sh', ['-c', script], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { PATH: `${dir}:${bin}:/usr/bin:/bin`, ARPING_DIR: dir, IP_LOG: log, ...env },
  });
  return {
    code: result.status,
    stdout: result.stdout,
    added: fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim() : '',
  };
}

/** Run the probe (then `echo free`) with the stand-in; returns the exit status, output, and how many arping runs started. */
function probe(probeMilliseconds: number, env: Record<string, string>) {
  const script = ['{', ...duplicateProbeScript("'eth0'", "'10.77.0.10'", probeMilliseconds), '  echo free', '}'].join(
    '\n',
  );
  const dir = fs.mkdtempSync(path.join(bin, 'calls-'));
  const started = Date.now();
  const result = spawnSync('/bin/sh', ['-c', script], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { PATH: `${bin}:/usr/bin:/bin`, ARPING_DIR: dir, ...env },
  });
  return { code: result.status, stdout: result.stdout, runs: fs.readdirSync(dir).length, ms: Date.now() - started };
}

const FREE = 'ARPING 10.77.0.10 from 0.0.0.0 eth0\nSent 1 probes (1 broadcast(s))\nReceived 0 response(s)\n';
const UNSENT = 'ARPING 10.77.0.10 from 0.0.0.0 eth0\nSent 0 probes (0 broadcast(s))\nReceived 0 response(s)\n';
const TAKEN =
  'ARPING 10.77.0.10 from 0.0.0.0 eth0\nUnicast reply from 10.77.0.10 [02:00:00:00:00:99]  0.6ms\nSent 1 probes (1 broadcast(s))\nReceived 1 response(s)\n';

describe('the duplicate probe', () => {
  it("by default sends three probes at once and interrupts them 15 ms later, plus arping's start-up", () => {
    const script = acquireScript('linux', VipAcquireParams.parse({ address: '10.77.0.10', interface: 'eth0' }));
    const first = script.slice(0, script.indexOf('LIFEBOAT_PROBE_END'));
    expect(first.match(/arping -D -c 100 -w 2 -I 'eth0' '10.77.0.10' 2>&1 & p[012]=\$!/g)).toHaveLength(3);
    // The window's end is a background sleep: the check for "already held" runs inside the window, not before it.
    expect(first).toMatch(
      /sleep 0\.018 & w=\$!\n\s+case "\$\(ip -o addr show dev 'eth0' 2>\/dev\/null\)" in .*\n\s+wait \$w; kill -INT \$p0 \$p1 \$p2/,
    );
  });

  it('already held on the interface (checked inside the probe window): nothing is added', () => {
    const held = acquire({ ARPING_OUT: FREE, IP_SHOW: '2: eth0    inet 10.77.0.10/24 scope global secondary eth0\\n' });
    expect(held).toMatchObject({ code: 0, added: '' });
    expect(held.stdout).toContain('lifeboat: already held');
    // Not held (a copy on lo is listed by another interface's read, not this one): probed, then added.
    const free = acquire({ ARPING_OUT: FREE, IP_SHOW: '2: eth0    inet 10.77.0.12/24 scope global eth0\\n' });
    expect(free).toMatchObject({ code: 0, added: 'addr add 10.77.0.10/24 dev eth0' });
    expect(free.stdout).not.toContain('already held');
    // Held and answered by someone else too: still "already held" (the watch is the one to judge a second holder).
    expect(
      acquire({ ARPING_OUT: TAKEN, ARPING_RC: '1', IP_SHOW: '2: eth0    inet 10.77.0.10/24 scope global eth0\\n' }),
    ).toMatchObject({ code: 0, added: '' });
    // Answered while not held: refused, nothing added.
    expect(acquire({ ARPING_OUT: TAKEN, IP_SHOW: '' })).toMatchObject({ code: ACQUIRE_EXIT.duplicate, added: '' });
  });

  it('a longer window spreads its three probes over it', () => {
    const lines = duplicateProbeScript("'eth0'", "'10.77.0.10'", 1500).join('\n');
    expect(lines).toMatch(
      /& p0=\$!\n\s+sleep 0\.500\n.*& p1=\$!\n\s+sleep 0\.500\n.*& p2=\$!\n\s+sleep 0\.503; kill -INT \$p0 \$p1 \$p2/,
    );
  });

  it('counts three probes sent, none answered, all ended with their statistics, as free', () => {
    expect(probe(15, { ARPING_OUT: FREE })).toMatchObject({ code: 0, stdout: 'free\n', runs: 3 });
    // Interrupted at the end of the window, not left to arping's own deadline (a window the stand-in has time to start in).
    const result = probe(600, { ARPING_OUT: FREE });
    expect(result).toMatchObject({ code: 0, stdout: 'free\n', runs: 3 });
    expect(result.ms).toBeLessThan(1800);
  });

  it('refuses when any probe is answered, and names the MAC', () => {
    const result = probe(15, { ARPING_OUT: FREE, ARPING_OUT_2: TAKEN, ARPING_RC_2: '1' });
    expect(result.code).toBe(ACQUIRE_EXIT.duplicate);
    expect(result.stdout).toMatch(/lifeboat: duplicate: Unicast reply from 10.77.0.10 \[02:00:00:00:00:99\]/);
  });

  it('a probe that could not go out in time is run again with a longer window; proof is still needed', () => {
    const retried = probe(15, { ARPING_OUT: FREE, ARPING_OUT_3: UNSENT });
    expect(retried).toMatchObject({ code: 0, stdout: 'free\n', runs: 6 });
    // Unsent again (slots 4 to 6 are the retry): no proof, refused.
    const again = probe(15, { ARPING_OUT: FREE, ARPING_OUT_3: UNSENT, ARPING_OUT_6: UNSENT });
    expect(again.code).toBe(ACQUIRE_EXIT.probeFailed);
    expect(again.stdout).toMatch(/no proof the address is free \(2 of 3 probes sent/);
    // The retry hears an answer: refused as a duplicate.
    expect(probe(15, { ARPING_OUT: FREE, ARPING_OUT_1: UNSENT, ARPING_OUT_5: TAKEN, ARPING_RC_5: '1' }).code).toBe(
      ACQUIRE_EXIT.duplicate,
    );
  });

  it('one probe that failed (an error, no statistics) is no proof, even when the other two heard nothing', () => {
    const result = probe(15, {
      ARPING_OUT: FREE,
      ARPING_OUT_2: 'arping: socket: Operation not permitted\n',
      ARPING_RC_2: '2',
      ARPING_OUT_5: 'arping: socket: Operation not permitted\n',
      ARPING_RC_5: '2',
    });
    expect(result.code).toBe(ACQUIRE_EXIT.probeFailed);
  });

  it('an arping that ignores the interrupt is bounded by its own deadline and, cut short of statistics, is no proof', () => {
    const result = probe(250, {
      ARPING_OUT: FREE,
      ARPING_DEAF_1: '1',
      ARPING_OUT_1: 'ARPING 10.77.0.10 from 0.0.0.0 eth0\n',
      ARPING_RC_1: '0',
    });
    expect(result.code).toBe(ACQUIRE_EXIT.probeFailed);
    expect(result.ms).toBeLessThan(5000);
  });
});
