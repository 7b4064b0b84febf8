/**
 * The headless host: the same console over HTTP + WebSocket, on 127.0.0.1 only, for a jump box
 * with no display (reach it through an SSH tunnel) and for end-to-end tests in a real browser.
 * A random token, new at every start (or kept in a 0600 file: token-file.ts), is required on every
 * request and on the WebSocket.
 */
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatcher } from './dispatch';
import { contentSecurityPolicy } from './csp';

export interface WebHostOptions {
  dispatcher: Dispatcher;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  /** The token kept in a token file (`serve --token-file`), or a test's; a fresh random token otherwise. */
  token?: string;
  log?: (message: string) => void;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'lifeboat_token';
const MAX_BODY = 12 * 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
};

function sameSecret(a: string | undefined | null, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE) return v;
  }
  return undefined;
}

/**
 * Host headers the console answers to: a loopback name with any port, since an SSH tunnel
 * (`ssh -L 9000:127.0.0.1:8470`) changes the port the browser sees. Any other name is refused, so
 * a DNS-rebound name cannot reach the API.
 */
export function loopbackHost(host: string | undefined): boolean {
  const match = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::([0-9]{1,5}))?$/i.exec(host ?? '');
  if (!match) return false;
  return match[1] === undefined || (Number(match[1]) >= 1 && Number(match[1]) <= 65535);
}

/** The path with its percent-escapes decoded, or null when they are malformed (`/%E0`). */
function decodedPath(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Start the headless host on 127.0.0.1 and resolve once it listens. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const log = options.log ?? (() => {});
  const staticRoot = path.resolve(options.staticDir);
  let port = 0;

  const hostAllowed = (req: http.IncomingMessage) => loopbackHost(req.headers.host);
  // The page's event socket is on the host the browser used (a tunnel's port, say), once it passed hostAllowed.
  const connectTo = (req: http.IncomingMessage) => (loopbackHost(req.headers.host) ? [`ws://${req.headers.host}`] : []);
  const headers = (res: http.ServerResponse, extra: Record<string, string> = {}) => ({
    'Content-Security-Policy': contentSecurityPolicy({ connect: connectTo(res.req) }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    ...extra,
  });
  const refuse = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, headers(res, { 'Content-Type': 'text/plain; charset=utf-8' }));
    res.end(message);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(req)) return refuse(res, 421, 'Lifeboat answers only on 127.0.0.1 or localhost.');
    if (decodedPath(url.pathname) === null) return refuse(res, 400, 'malformed percent-encoding in the path');
    if (url.pathname.startsWith('/api/'))
      return void handleApi(req, res, url).catch((e) => {
        log(`api error: ${(e as Error).message}`);
        if (!res.headersSent) refuse(res, 500, 'internal error');
      });
    const fromQuery = url.searchParams.get('token');
    if (!sameSecret(fromQuery, token) && !sameSecret(cookieToken(req), token)) {
      return refuse(res, 403, 'Lifeboat: this address needs the token printed when the console started (…/?token=…).');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    serveStatic(res, url.pathname, sameSecret(fromQuery, token));
  });

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    if (!sameSecret(req.headers['x-lifeboat-token'] as string | undefined, token)) {
      return refuse(res, 403, 'missing or wrong X-Lifeboat-Token');
    }
    if (req.method !== 'POST') return refuse(res, 405, 'use POST');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return refuse(res, 415, 'send application/json');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return refuse(res, 413, 'request too large');
      chunks.push(chunk as Buffer);
    }
    let payload: unknown;
    try {
      payload = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    } catch {
      return sendJson(res, { ok: false, error: { code: 'invalid_input', message: 'the request body is not JSON' } });
    }
    const method = decodedPath(url.pathname.slice('/api/'.length)) ?? '';
    sendJson(res, await options.dispatcher.dispatch(method, payload));
  }

  function sendJson(res: http.ServerResponse, body: unknown) {
    res.writeHead(200, headers(res, { 'Content-Type': 'application/json; charset=utf-8' }));
    res.end(JSON.stringify(body));
  }

  function serveStatic(res: http.ServerResponse, pathname: string, setCookie: boolean) {
    const relative = pathname === '/' ? 'index.html' : (decodedPath(pathname) ?? '').replace(/^\/+/, '');
    const file = path.resolve(staticRoot, relative);
    if (!file.startsWith(staticRoot + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return refuse(res, 404, 'not found');
    }
    const extra: Record<string, string> = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' };
    if (setCookie) extra['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers(res, extra));
    fs.createReadStream(file).pipe(res);
  }

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const originOk =
      origin === undefined || (origin.startsWith('http://') && loopbackHost(origin.slice('http://'.length)));
    if (
      url.pathname !== '/events' ||
      !hostAllowed(req) ||
      !originOk ||
      !sameSecret(url.searchParams.get('token'), token)
    ) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => ws.close(1008, 'this socket only sends events'));
    });
  });
  const unsubscribe = options.dispatcher.subscribe((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
