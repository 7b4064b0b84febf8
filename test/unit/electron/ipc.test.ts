/** The IPC transport on its own: a stub dispatcher shows what runs and what does not. */
import { describe, expect, it, vi } from 'vitest';
import { registerIpc, type SenderFrame } from '../../../electron/host/ipc';
import type { Dispatcher, EventSink } from '../../../electron/host/dispatch';
import { METHOD_NAMES, channelOf } from '../../../shared/contract/index';
import { asShellElectron, createFakeElectron, FakeWebContents } from '../../helpers/fake-electron';

const APP = 'file:///opt/lifeboat/dist/renderer/index.html';
const isApp = (frame: SenderFrame | null | undefined) => frame?.url === APP;

function stubDispatcher() {
  const sinks = new Set<EventSink>();
  const emit: EventSink = (event, payload) => sinks.forEach((sink) => sink(event, payload));
  const dispatcher = {
    dispatch: vi.fn(async (method: string) => ({ ok: true as const, value: method })),
    subscribe: vi.fn((sink: EventSink) => {
      sinks.add(sink);
      return () => void sinks.delete(sink);
    }),
    emit,
  } satisfies Dispatcher;
  return { dispatcher, emit, sinks };
}

function setup(targets: FakeWebContents[] = []) {
  const fake = createFakeElectron({ appData: '/nonexistent' });
  const stub = stubDispatcher();
  const dispose = registerIpc(asShellElectron(fake).ipcMain, stub.dispatcher, isApp, { targets: () => targets });
  return { fake, ...stub, dispose };
}

describe('registerIpc', () => {
  it('hands a trusted call with its payload to the dispatcher under the method name', async () => {
    const { fake, dispatcher } = setup();
    const answer = await fake.ipcMain.invokeFrom({ url: APP, parent: null }, channelOf('servers.save'), {
      name: 'web-c',
    });
    expect(answer).toEqual({ ok: true, value: 'servers.save' });
    expect(dispatcher.dispatch).toHaveBeenCalledExactlyOnceWith('servers.save', { name: 'web-c' });
  });

  it('answers unauthorized and never reaches the dispatcher for any other sender', async () => {
    const { fake, dispatcher } = setup();
    const throwing = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
    };
    for (const frame of [{ url: 'https://evil.example/', parent: null }, null, throwing]) {
      for (const method of METHOD_NAMES) {
        const answer = await fake.ipcMain.invokeFrom(frame, channelOf(method), {});
        expect(answer).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      }
    }
    expect(dispatcher.dispatch).not.toHaveBeenCalled();
  });

  it('sends events only to live contents that show the app page', () => {
    const app = new FakeWebContents();
    app.mainFrame.url = APP;
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'https://evil.example/';
    const closed = new FakeWebContents();
    closed.mainFrame.url = APP;
    closed.destroyed = true;
    const { emit } = setup([app, stranger, closed]);
    emit('workspace.changed', { method: 'servers.save', revision: 3 });
    expect(app.sent).toEqual([
      { channel: channelOf('workspace.changed'), payload: { method: 'servers.save', revision: 3 } },
    ]);
    expect(stranger.sent).toEqual([]);
    expect(closed.sent).toEqual([]);
  });

  it('dispose removes every handler and the event subscription, and can run twice', () => {
    const { fake, sinks, dispose } = setup();
    expect(fake.ipcMain.handlers.size).toBe(METHOD_NAMES.length);
    expect(sinks.size).toBe(1);
    dispose();
    dispose();
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(sinks.size).toBe(0);
  });
});
