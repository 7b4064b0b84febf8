/**
 * The real preload, loaded against a fake electron module: what reaches the page is one named
 * function per contract method and `on`, never ipcRenderer.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES, channelOf } from '../../../shared/contract/index';
import type { LifeboatBridge } from '../../../electron/preload';

const { fake } = await vi.hoisted(async () => {
  const { createFakeElectron } = await import('../../helpers/fake-electron');
  return { fake: createFakeElectron({ appData: '/nonexistent' }) };
});
vi.mock('electron', () => fake);

let bridge: LifeboatBridge;

beforeAll(async () => {
  await import('../../../electron/preload');
  bridge = fake.contextBridge.exposed.get('lifeboat') as LifeboatBridge;
});

describe('the preload', () => {
  it('exposes only window.lifeboat, frozen, with one function per contract method and on', () => {
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['lifeboat']);
    expect(Object.keys(bridge).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const leak of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'removeListener', 'removeAllListeners']) {
      expect(bridge).not.toHaveProperty(leak);
    }
    expect(Object.values(bridge)).not.toContain(fake.ipcRenderer);
  });

  it('calls each method on its own channel with the payload and returns the answer from main', async () => {
    fake.ipcRenderer.answer = (channel) => ({ ok: true, value: channel });
    for (const method of METHOD_NAMES) {
      const answer = await bridge[method]({ probe: method });
      expect(answer).toEqual({ ok: true, value: channelOf(method) });
      expect(fake.ipcRenderer.invocations.at(-1)).toEqual({ channel: channelOf(method), payload: { probe: method } });
    }
  });

  it('on accepts contract events only', () => {
    expect(() => bridge.on('nope' as never, () => {})).toThrow(/Unknown Lifeboat event/);
    expect(() => bridge.on(channelOf('workspace.changed') as never, () => {})).toThrow(/Unknown Lifeboat event/);
    expect(() => bridge.on('workspace.changed', 'not a function' as never)).toThrow(/must be a function/);
    expect(fake.ipcRenderer.eventNames()).toEqual([]);
  });

  it('on passes only the payload, and its unsubscribe really removes the listener', () => {
    const channel = channelOf(EVENT_NAMES[0]);
    const listener = vi.fn();
    const other = vi.fn();
    const unsubscribe = bridge.on(EVENT_NAMES[0], listener);
    const unsubscribeOther = bridge.on(EVENT_NAMES[0], other);
    expect(fake.ipcRenderer.listenerCount(channel)).toBe(2);

    fake.ipcRenderer.deliver(channel, { method: 'servers.save', revision: 1 });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ method: 'servers.save', revision: 1 });

    unsubscribe();
    unsubscribe();
    expect(fake.ipcRenderer.listenerCount(channel)).toBe(1);
    fake.ipcRenderer.deliver(channel, { method: 'servers.save', revision: 2 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(other).toHaveBeenCalledTimes(2);

    unsubscribeOther();
    expect(fake.ipcRenderer.listenerCount(channel)).toBe(0);
  });
});
