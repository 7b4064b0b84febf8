/** The console's store: loads once, refetches on workspace.changed, and coalesces bursts. */
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../renderer/src/store/app-store';
import { ApiError } from '../../../shared/api-client';
import { fakeTransport, settle } from './fake-transport';

const start = () => {
  const transport = fakeTransport();
  const app = createAppStore(transport, { screen: 'dashboard', theme: 'system' });
  return { transport, app, state: () => app.store.getState() };
};
const snapshotCalls = (calls: string[]) => calls.filter((c) => c === 'workspace.snapshot').length;

describe('the console store', () => {
  it('loads the workspace info and snapshot when it is created', async () => {
    const { state } = start();
    expect(state().loadState).toBe('loading');
    await settle();
    expect(state().loadState).toBe('ready');
    expect(state().info?.initialised).toBe(true);
    expect(state().snapshot?.settings.companyName).toBe('fetch 1');
  });

  it('subscribes to workspace.changed once, outside React, and refetches on it', async () => {
    const { transport, state } = start();
    await settle();
    expect(transport.listenerCount('workspace.changed')).toBe(1);
    transport.emit('workspace.changed', { method: 'servers.save', revision: 1 });
    await settle();
    expect(state().snapshot?.settings.companyName).toBe('fetch 2');
  });

  it('coalesces a burst of events into one more fetch after the one in flight', async () => {
    const { transport } = start();
    await settle();
    const before = snapshotCalls(transport.calls);
    for (let i = 0; i < 5; i++) transport.emit('workspace.changed', { method: 'servers.save', revision: i });
    await settle();
    await settle();
    expect(snapshotCalls(transport.calls) - before).toBe(2);
  });

  it('refetches after a mutating call, so a dropped event cannot leave the screen stale', async () => {
    const { transport, state } = start();
    await settle();
    transport.answers['servers.delete'] = () => ({ ok: true, value: { id: 3, deleted: true } });
    await state().call('servers.delete', { id: 3 });
    expect(state().snapshot?.settings.companyName).toBe('fetch 2');
    // Reading calls do not refetch.
    transport.answers['workspace.exportPlan'] = () => ({ ok: true, value: { yaml: 'lifeboat: 1\n' } });
    await state().call('workspace.exportPlan', {});
    expect(snapshotCalls(transport.calls)).toBe(2);
  });

  it('throws the API error of a refused call with its field issues', async () => {
    const { transport, state } = start();
    await settle();
    transport.answers['servers.save'] = () => ({
      ok: false,
      error: {
        code: 'conflict',
        message: '"web-a" is already used by another entry',
        issues: [{ path: ['name'], message: '"web-a" is already used' }],
      },
    });
    const error = await state()
      .call('servers.save', { name: 'web-a', ssh: { host: '192.0.2.1' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('conflict');
    expect((error as ApiError).issues[0].path).toEqual(['name']);
  });

  it('catches up once the event stream reconnects', async () => {
    const { transport, state } = start();
    await settle();
    transport.setConnection('live');
    transport.setConnection('reconnecting');
    expect(state().connection).toBe('reconnecting');
    transport.setConnection('live');
    await settle();
    expect(state().snapshot?.settings.companyName).toBe('fetch 2');
  });

  it('keeps the last snapshot and shows a notice when a later refresh fails', async () => {
    const { transport, state } = start();
    await settle();
    transport.answers['workspace.snapshot'] = () => ({
      ok: false,
      error: { code: 'unavailable', message: 'Cannot reach the Lifeboat host' },
    });
    transport.emit('workspace.changed', { method: 'servers.save', revision: 1 });
    await settle();
    expect(state().loadState).toBe('ready');
    expect(state().snapshot?.settings.companyName).toBe('fetch 1');
    expect(state().notices.map((n) => n.text)).toEqual([
      'Could not refresh the workspace: Cannot reach the Lifeboat host',
    ]);
  });

  it('reports a failed first load, and disposes the transport', async () => {
    const transport = fakeTransport();
    transport.answers['workspace.info'] = () => ({ ok: false, error: { code: 'unauthorized', message: 'refused' } });
    const app = createAppStore(transport, { screen: 'dashboard', theme: 'system' });
    await settle();
    expect(app.store.getState().loadState).toBe('failed');
    expect(app.store.getState().loadError).toBe('refused');
    app.dispose();
    expect(transport.disposed).toBe(true);
    expect(transport.listenerCount('workspace.changed')).toBe(0);
  });
});
