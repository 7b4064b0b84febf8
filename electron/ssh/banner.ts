/**
 * Whether sshd answers a new TCP connection with its banner ("SSH-2.0-…"): read from here, apart
 * from the pooled connections, so a stopped sshd is seen even while a pooled session still works.
 * Nothing is sent; the connection is closed after the banner line.
 */
import net from 'node:net';
import type { Server } from '../../shared/domain';

/** Bound on reading the banner. */
const BANNER_TIMEOUT_MS = 3000;

export type BannerRead = { ok: true; banner: string } | { ok: false; why: string };
const no = (why: string): BannerRead => ({ ok: false, why });

/** Whether sshd answers with its banner at the server's SSH address (null: behind a jump host, not read from here). */
export function readSshBanner(server: Server, timeoutMs = BANNER_TIMEOUT_MS): Promise<BannerRead | null> {
  if (server.ssh.jumpServerId !== null) return Promise.resolve(null);
  return new Promise((resolve) => {
    const socket = net.connect({ host: server.ssh.host, port: server.ssh.port });
    let text = '';
    const done = (result: BannerRead) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => done(no(`no SSH banner from ${server.ssh.host}:${server.ssh.port} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const line = text.split('\n').find((l) => l.startsWith('SSH-'));
      if (line) done({ ok: true, banner: line.trim().slice(0, 80) });
      else if (text.length > 8192) done(no('no SSH banner in the first 8 KiB'));
    });
    socket.on('error', (error) =>
      done(no(`sshd does not answer at ${server.ssh.host}:${server.ssh.port}: ${error.message}`)),
    );
    socket.on('close', () => done(no(`${server.ssh.host}:${server.ssh.port} closed the connection before a banner`)));
  });
}
