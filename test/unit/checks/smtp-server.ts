/**
 * A minimal SMTP server on 127.0.0.1 for tests: enough of RFC 5321 for one client to send mail,
 * with STARTTLS (RFC 3207, a certificate made at test time by openssl) and AUTH PLAIN (RFC 4954)
 * that it can require, and faults: refusing every login, never greeting (a hung server).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
  /** Whether the mail came over TLS, and the user that logged in ('' for none). */
  tls: boolean;
  user: string;
}

export interface TestSmtpServer {
  port: number;
  mails: ReceivedMail[];
  /** Every AUTH attempt: the user and whether it was accepted. */
  logins: { user: string; ok: boolean }[];
  close(): Promise<void>;
}

export interface SmtpServerOptions {
  /** Require STARTTLS before AUTH and MAIL; needs `certificate`. */
  requireTls?: boolean;
  certificate?: TestCertificate;
  /** Require AUTH with one of these user → password pairs. */
  users?: Record<string, string>;
  /** Refuse every login (535), whatever the password. */
  refuseAuth?: boolean;
  /** Accept the connection and never greet: a hung server. */
  hang?: boolean;
}

export interface TestCertificate {
  key: string;
  cert: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made by openssl now. */
export function makeCertificate(): TestCertificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-smtp-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
    return {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const logins: TestSmtpServer['logins'] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((raw) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
    raw.on('error', () => raw.destroy());
    if (options.hang) return;
    let stream: net.Socket | tls.TLSSocket = raw;
    let secure = false;
    let user = '';
    let buffer = '';
    let inData = false;
    let mail: ReceivedMail = { from: '', to: [], data: '', tls: false, user: '' };
    const reply = (line: string) => stream.write(`${line}\r\n`);
    const blocked = (): string | null => {
      if (options.requireTls && !secure) return '530 5.7.0 Must issue a STARTTLS command first';
      if ((options.users || options.refuseAuth) && !user) return '530 5.7.0 Authentication required';
      return null;
    };
    const onData = (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 1_000_000) return stream.destroy();
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push({ ...mail, tls: secure, user });
          mail = { from: '', to: [], data: '', tls: false, user: '' };
          reply('250 2.0.0 queued');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') {
          const offers = ['8BITMIME'];
          if (options.certificate && !secure) offers.push('STARTTLS');
          if ((options.users || options.refuseAuth) && (secure || !options.requireTls)) offers.push('AUTH PLAIN');
          reply(['250-localhost', ...offers.slice(0, -1).map((o) => `250-${o}`), `250 ${offers.at(-1)}`].join('\r\n'));
        } else if (verb === 'HELO') reply('250 localhost');
        else if (verb === 'STARTTLS' && options.certificate && !secure) {
          reply('220 2.0.0 ready to start TLS');
          raw.removeAllListeners('data');
          const upgraded = new tls.TLSSocket(raw, {
            isServer: true,
            key: options.certificate.key,
            cert: options.certificate.cert,
          });
          upgraded.setEncoding('utf8');
          upgraded.on('error', () => raw.destroy());
          upgraded.on('data', onData);
          stream = upgraded;
          secure = true;
          buffer = '';
          return;
        } else if (verb === 'AUTH') {
          if (options.requireTls && !secure) {
            reply('530 5.7.0 Must issue a STARTTLS command first');
            continue;
          }
          const [, mechanism, initial] = line.split(' ');
          if (mechanism?.toUpperCase() !== 'PLAIN' || !initial) {
            reply('504 5.5.4 only AUTH PLAIN with an initial response');
            continue;
          }
          const [, name = '', password = ''] = Buffer.from(initial, 'base64').toString('utf8').split('\u0000');
          const ok = !options.refuseAuth && options.users?.[name] === password;
          logins.push({ user: name, ok });
          if (ok) {
            user = name;
            reply('235 2.7.0 Authentication successful');
          } else reply('535 5.7.8 Authentication credentials invalid');
        } else if (verb === 'MAIL') {
          const refusal = blocked();
          if (refusal) {
            reply(refusal);
            continue;
          }
          mail.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'RSET') {
          mail = { from: '', to: [], data: '', tls: false, user: '' };
          reply('250 ok');
        } else if (verb === 'NOOP') reply('250 ok');
        else if (verb === 'QUIT') {
          reply('221 bye');
          stream.end();
        } else reply('502 not implemented');
      }
    };
    raw.setEncoding('utf8');
    raw.on('data', onData);
    reply('220 localhost test SMTP');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    mails,
    logins,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
