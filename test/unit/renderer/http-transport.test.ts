/** The headless host's transport: token header, refusals as envelopes, validated events, reconnects. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpTransport } from '../../../renderer/src/api/http-transport';
import { readToken } from '../../../renderer/src/api/token';

class FakeSocket extends EventTarget {
  static made: FakeSocket[] = [];
  constructor(readonly url: string) {
    super();
    FakeSocket.made.push(this);
  }
  close() {
    this.dispatchEvent(new Event('close'));
  }
  receive(data: string) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

afterEach(() => {
  FakeSocket.made = [];
  vi.useRealTimers();
});

describe('the HTTP transport', () => {
  it('posts the payload as JSON with the token header', async () => {
    const fetch = vi.fn(async () => jsonResponse(200, { ok: true, value: { yaml: '' } }));
    const transport = createHttpTransport({
      origin: 'http://127.0.0.1:9',
      token: 'T0K',
      fetch: fetch as never,
      WebSocket: FakeSocket as never,
    });
    expect(await transport.invoke('workspace.exportPlan', {})).toEqual({ ok: true, value: { yaml: '' } });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://127.0.0.1:9/api/workspace.exportPlan');
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ 'Content-Type': 'application/json', 'X-Lifeboat-Token': 'T0K' });
  });

  it('turns a 403, a dead host and a garbled answer into error envelopes', async () => {
    const answers = [
      async () => new Response('missing token', { status: 403 }),
      async () => {
        throw new TypeError('fetch failed');
      },
      async () => new Response('<html>', { status: 200 }),
    ];
    const fetch = vi.fn(async () => answers.shift()!());
    const transport = createHttpTransport({
      origin: 'http://127.0.0.1:9',
      token: 'T',
      fetch: fetch as never,
      WebSocket: FakeSocket as never,
    });
    const codes = [];
    for (let i = 0; i < 3; i++) {
      const envelope = await transport.invoke('workspace.snapshot', {});
      codes.push(envelope.ok ? 'ok' : envelope.error.code);
    }
    expect(codes).toEqual(['unauthorized', 'unavailable', 'internal']);
  });

  it('delivers only well-formed events of the contract to their listeners', () => {
    const transport = createHttpTransport({
      origin: 'http://127.0.0.1:9',
      token: 'a b',
      fetch: vi.fn() as never,
      WebSocket: FakeSocket as never,
    });
    const seen: unknown[] = [];
    transport.on('workspace.changed', (payload) => seen.push(payload));
    const socket = FakeSocket.made[0];
    expect(socket.url).toBe('ws://127.0.0.1:9/events?token=a%20b');
    socket.receive('not json');
    socket.receive(JSON.stringify({ event: 'workspace.changed', payload: { method: 'x' } }));
    socket.receive(JSON.stringify({ event: 'something.else', payload: {} }));
    socket.receive(JSON.stringify({ event: 'workspace.changed', payload: { method: 'servers.save', revision: 2 } }));
    expect(seen).toEqual([{ method: 'servers.save', revision: 2 }]);
  });

  it('reconnects after the socket closes, with a growing but bounded delay', () => {
    vi.useFakeTimers();
    const transport = createHttpTransport({
      origin: 'http://127.0.0.1:9',
      token: 'T',
      fetch: vi.fn() as never,
      WebSocket: FakeSocket as never,
      backoffMs: { first: 100, max: 400 },
    });
    const states: string[] = [];
    transport.onConnectionChange((state) => states.push(state));
    transport.on('workspace.changed', () => {});
    FakeSocket.made[0].dispatchEvent(new Event('open'));
    for (let attempt = 0; attempt < 5; attempt++) {
      FakeSocket.made.at(-1)!.close();
      // 100 ms then 200 ms (±20 % jitter): both under 300 ms; later ones stay at the 400 ms cap.
      vi.advanceTimersByTime(300);
      if (attempt < 2) expect(FakeSocket.made).toHaveLength(attempt + 2);
      vi.advanceTimersByTime(400 * 1.2 - 300 + 1);
    }
    expect(FakeSocket.made).toHaveLength(6);
    expect(states).toEqual(['connecting', 'live', 'reconnecting']);
    transport.dispose();
    FakeSocket.made.at(-1)!.close();
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.made).toHaveLength(6);
  });
});

describe('the page token', () => {
  it('comes from the address, is remembered for the tab, and is read back without it', () => {
    const store = new Map<string, string>();
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
    expect(readToken({ search: '?token=abc' }, storage)).toBe('abc');
    expect(readToken({ search: '' }, storage)).toBe('abc');
    expect(readToken({ search: '' }, null)).toBeNull();
  });
});
