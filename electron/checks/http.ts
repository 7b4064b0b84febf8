/**
 * http: a URL (on a member or a VIP) answers with the expected status and, optionally, contains a
 * text. Probed from the check's server with curl (or wget); the body is compared here, never sent.
 */
import { parseHttpUrl } from '../../shared/checks';
import { sh, word, type Script } from '../ssh/quote';
import { field, firstLine, judgeSingle, ownServer, type CheckKindModule } from './kind';
import { checkScript } from './script';

/** Bytes of headers and body read back; the text must appear in them. */
const READ_LIMIT = 65_536;

/** The URL as one shell word: literal scheme and punctuation, quoted host, port and path. */
function urlWord(url: string): Script {
  const target = parseHttpUrl(url);
  if (typeof target === 'string') throw new TypeError(`refused URL: ${target}`);
  const scheme = target.scheme === 'https' ? sh`https://` : sh`http://`;
  const host = target.host.includes(':') ? sh`'['${word.ip(target.host)}']'` : sh`${word.host(target.host)}`;
  const port = target.port === null ? sh`` : sh`:${word.port(target.port)}`;
  return sh`${scheme}${host}${port}${word.path(target.path)}`;
}

/** The http check kind. */
export const httpKind: CheckKindModule<'http'> = {
  kind: 'http',
  aimsAt(params) {
    const target = parseHttpUrl(params.url);
    return typeof target === 'string' ? undefined : target.host;
  },
  targets: ownServer,
  script(params, _server, ctx) {
    const wait = word.integer(Math.max(1, ctx.check.timeoutSeconds - 2), 1, 120);
    const limit = word.integer(READ_LIMIT);
    const url = urlWord(params.url);
    return checkScript(sh`if command -v curl >/dev/null 2>&1; then
  echo via=curl
  curl -sS -D - -o - --max-time ${wait} -- ${url} 2>&1 | head -c ${limit} | sed 's/^/> /'
  echo
elif command -v wget >/dev/null 2>&1; then
  echo via=wget
  wget -q -S -O - -T ${wait} -t 1 -- ${url} 2>&1 | head -c ${limit} | sed 's/^/> /'
  echo
else
  echo error=no-http-client
fi`);
  },
  evaluate(observations, ctx) {
    const { url, expectStatus, bodyContains } = ctx.check.params;
    return judgeSingle(observations, (fields, observation) => {
      const from = observation.server.name;
      if (field(fields, 'error') === 'no-http-client')
        return { status: 'unknown', summary: `${from} has neither curl nor wget`, metrics: {} };
      const stdout = observation.outcome.kind === 'ok' ? observation.outcome.result.stdout : '';
      const lines = stdout
        .split('\n')
        .filter((l) => l.startsWith('> '))
        .map((l) => l.slice(2).replace(/\r$/, ''));
      const statusIndex = lines.findIndex((l) => /^\s*HTTP\/[0-9.]+ [0-9]{3}\b/.test(l));
      if (statusIndex < 0) {
        return {
          status: 'fail',
          summary: `${url} did not answer over HTTP (from ${from}): ${firstLine(lines.join('\n')) || 'no response'}`,
          metrics: {},
        };
      }
      const code = Number(/HTTP\/[0-9.]+ ([0-9]{3})/.exec(lines[statusIndex])![1]);
      const blank = lines.indexOf('', statusIndex);
      const body = blank < 0 ? '' : lines.slice(blank + 1).join('\n');
      if (code !== expectStatus) {
        return {
          status: 'fail',
          summary: `${url} answered ${code}, expected ${expectStatus} (from ${from})`,
          metrics: { httpStatus: code },
        };
      }
      if (bodyContains !== '' && !body.includes(bodyContains)) {
        return {
          status: 'fail',
          summary: `${url} answered ${code} but without the expected text (from ${from})`,
          metrics: { httpStatus: code, bodyMatched: false },
        };
      }
      return {
        status: 'ok',
        summary: `${url} answered ${code}${bodyContains ? ' with the expected text' : ''} (from ${from})`,
        metrics: { httpStatus: code, ...(bodyContains ? { bodyMatched: true } : {}) },
      };
    });
  },
};
