/** `npm run lab` writes a workspace that describes the running lab, with only the lab's own host keys pinned. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openApp } from '../../electron/app';
import { describeLab } from '../helpers/lab';
import { writeLabWorkspace } from './console';

describeLab('the lab workspace', (lab) => {
  it('describes every lab server at its lab address and pins the key the lab made for it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-labws-'));
    const dbPath = path.join(dir, 'workspace.db');
    try {
      const written = await writeLabWorkspace(lab(), dbPath);
      const app = openApp(dbPath, () => undefined);
      try {
        const snapshot = await app.dispatcher.dispatch('workspace.snapshot', {});
        const pins = await app.dispatcher.dispatch('hosts.pins', {});
        if (!snapshot.ok || !pins.ok) throw new Error('the workspace could not be read');
        const servers = (snapshot.value as { servers: { id: number; name: string; ssh: { host: string } }[] }).servers;
        const pinList = pins.value as { serverId?: number; host: string; fingerprint: string }[];
        expect(servers.length).toBe(written.servers);
        expect(written.pinned).toBe(servers.length);
        expect(written.checks).toBeGreaterThan(servers.length);
        for (const server of servers) {
          const host = Object.values(lab().hosts).find((h) => h.ip === server.ssh.host);
          expect(host, `${server.name} at ${server.ssh.host} is a lab host`).toBeDefined();
          expect(pinList.filter((p) => p.host === server.ssh.host).map((p) => p.fingerprint)).toEqual([
            host!.hostKeyFingerprint,
          ]);
        }
      } finally {
        app.dispose();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
