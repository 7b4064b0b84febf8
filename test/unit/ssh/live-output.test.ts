/** exec streams output as it arrives (for a failover step's live view), within the same cap as its result. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../../electron/ssh/exec';
import type { ConnectionPool } from '../../../electron/ssh/pool';
import type { TestSshServer } from '../../helpers/ssh-server';
import { makeKeys, pinsTrusting, serverFor, testPool, type Lab } from './setup';

let lab: Lab;
beforeAll(() => {
  lab = makeKeys();
});
afterAll(() => lab.cleanup());

const open: { server: TestSshServer; pool: ConnectionPool }[] = [];
afterEach(async () => {
  for (const { server, pool } of open.splice(0)) {
    pool.dispose();
    await server.close();
  }
});

async function connect() {
  const { server, endpoint } = await serverFor(lab, {});
  const pool = testPool({ pins: pinsTrusting(server, lab.hostKey) });
  open.push({ server, pool });
  return pool.acquire(endpoint);
}

describe('live output', () => {
  it('arrives while the command still runs, on its own stream, and the result still has all of it', async () => {
    const connection = await connect();
    const chunks: { stream: string; text: string; at: number }[] = [];
    const started = Date.now();
    const result = await exec(connection, 'echo first; echo oops >&2; sleep 0.5; echo second', {
      timeoutMs: 5_000,
      onOutput: (stream, text) => chunks.push({ stream, text, at: Date.now() - started }),
    });
    const ended = Date.now() - started;
    const first = chunks.find((c) => c.text.includes('first'));
    expect(first?.stream).toBe('stdout');
    // "first" was shown before the command ended (it sleeps half a second after it).
    expect(first!.at).toBeLessThan(ended - 300);
    expect(chunks.find((c) => c.text.includes('oops'))?.stream).toBe('stderr');
    expect(
      chunks
        .filter((c) => c.stream === 'stdout')
        .map((c) => c.text)
        .join(''),
    ).toBe('first\nsecond\n');
    expect(result.stdout).toBe('first\nsecond\n');
  });

  it('stops streaming at the cap with one marker, and a listener that throws does not stop the command', async () => {
    const connection = await connect();
    let streamed = '';
    const result = await exec(connection, "head -c 5000 /dev/zero | tr '\\0' y; echo; echo done", {
      timeoutMs: 5_000,
      maxOutputBytes: 1000,
      onOutput: (_stream, text) => {
        streamed += text;
        throw new Error('a broken listener');
      },
    });
    expect(streamed.startsWith('y'.repeat(1000))).toBe(true);
    expect(streamed).not.toContain('y'.repeat(1001));
    expect(streamed.match(/live output stopped after 1000 bytes/g)).toHaveLength(1);
    expect(result.code).toBe(0);
    expect(result.truncated).toBe(true);
  });

  it('does not split a character that straddles two chunks', async () => {
    const connection = await connect();
    let streamed = '';
    // "é" is two bytes: the first and second are sent 200 ms apart.
    await exec(connection, "printf '\\303'; sleep 0.2; printf '\\251\\n'", {
      timeoutMs: 5_000,
      onOutput: (_s, text) => (streamed += text),
    });
    expect(streamed).toBe('é\n');
  });
});
