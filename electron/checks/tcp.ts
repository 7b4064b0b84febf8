/** tcp: a port accepts connections, probed from the check's server (nc, else bash's /dev/tcp). */
import { sh, word } from '../ssh/quote';
import { field, judgeSingle, ownServer, type CheckKindModule } from './kind';
import { checkScript } from './script';

/** The tcp check kind. */
export const tcpKind: CheckKindModule<'tcp'> = {
  kind: 'tcp',
  aimsAt: (params) => params.host,
  targets: ownServer,
  script(params, _server, ctx) {
    const host = word.host(params.host);
    const port = word.port(params.port);
    const wait = word.integer(Math.max(1, ctx.check.timeoutSeconds - 2), 1, 120);
    return checkScript(sh`if command -v nc >/dev/null 2>&1; then
  if nc -z -w ${wait} ${host} ${port} >/dev/null 2>&1; then echo open=1; else echo open=0; fi
elif command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
  if timeout ${wait} bash -c 'exec 3<>"/dev/tcp/$1/$2"' lifeboat-tcp ${host} ${port} >/dev/null 2>&1; then echo open=1; else echo open=0; fi
else
  echo error=no-probe-tool
fi`);
  },
  evaluate(observations, ctx) {
    const { host, port } = ctx.check.params;
    return judgeSingle(observations, (fields, { server }) => {
      if (field(fields, 'error') === 'no-probe-tool')
        return {
          status: 'unknown',
          summary: `${server.name} has neither nc nor bash with timeout to probe ${host}:${port}`,
          metrics: {},
        };
      const open = field(fields, 'open');
      if (open === '1')
        return {
          status: 'ok',
          summary: `${host}:${port} accepts connections (from ${server.name})`,
          metrics: { open: 1 },
        };
      if (open === '0')
        return {
          status: 'fail',
          summary: `${host}:${port} refuses or does not answer (from ${server.name})`,
          metrics: { open: 0 },
        };
      return { status: 'unknown', summary: `unexpected output from ${server.name}`, metrics: {} };
    });
  },
};
