import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { MIGRATIONS } from '../../../electron/db/migrations';
import { saveServer } from '../../../electron/db/repositories/servers';
import { endpointForServer, endpointKey, passwordAccount } from '../../../electron/ssh/endpoint';
import { Server } from '../../../shared/domain';

function inventory() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS);
  const add = (name: string, host: string, jumpServerId: number | null = null) =>
    saveServer(db, Server.omit({ id: true }).parse({ name, ssh: { host, user: 'ops', jumpServerId } })).id;
  return { db, add };
}

describe('endpoints', () => {
  it('resolve a server and its chain of jump servers', () => {
    const { db, add } = inventory();
    const bastion = add('bastion', '203.0.113.5');
    const inner = add('inner', '10.0.0.2', bastion);
    const target = add('target', '10.0.1.3', inner);
    const endpoint = endpointForServer(db, target);
    expect(endpoint).toMatchObject({
      host: '10.0.1.3',
      port: 22,
      user: 'ops',
      auth: { kind: 'agent' },
      jump: { host: '10.0.0.2', jump: { host: '203.0.113.5', jump: null } },
    });
    expect(endpointKey(endpoint)).toBe('ops@10.0.1.3:22 via ops@10.0.0.2:22 via ops@203.0.113.5:22');
    expect(passwordAccount(endpoint)).toBe('ssh:ops@10.0.1.3:22');
    db.close();
  });

  it('refuse a loop of jump servers, a missing server and an overlong chain', () => {
    const { db, add } = inventory();
    const a = add('a', '10.0.0.1');
    const b = add('b', '10.0.0.2', a);
    db.prepare('UPDATE servers SET jump_server_id = ? WHERE id = ?').run(b, a);
    expect(() => endpointForServer(db, b)).toThrow(/loop/);
    expect(() => endpointForServer(db, 999)).toThrow(/does not exist/);
    let previous: number | null = null;
    for (let i = 0; i < 7; i++) previous = add(`hop${i}`, `10.0.2.${i + 1}`, previous);
    expect(() => endpointForServer(db, previous as number)).toThrow(/more than 4 jump hosts/);
    db.close();
  });
});
