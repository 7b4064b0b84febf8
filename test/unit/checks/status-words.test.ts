/**
 * A check's words say what Lifeboat knows: a local login problem, a refused login, a host that
 * cannot be reached and an unknown state read differently, and only the last two may count the
 * host as down (a missing SSH agent on this machine is not a server outage).
 */
import { describe, expect, it } from 'vitest';
import { outcomeProblem, type Observation } from '../../../electron/checks/kind';
import { unreachableServers } from '../../../electron/checks/sweep';
import type { SshFailureCause } from '../../../shared/ssh-status';
import { inventory } from './fixtures';

const server = [...inventory().servers.values()][0];
const observation = (cause: SshFailureCause): Observation =>
  ({ server, outcome: { kind: 'unreachable', detail: 'detail from the engine', cause } }) as Observation;

describe('SSH failure words in checks', () => {
  it('are four different sentences, and never say the host answered when nothing was exchanged', () => {
    const local = outcomeProblem(observation('local'));
    expect(local).toMatch(
      new RegExp(
        `^Lifeboat cannot log in to ${server.name} \\(a local problem: no SSH agent, no usable key, or a passphrase is needed\\); nothing was exchanged`,
      ),
    );
    expect(local).not.toMatch(/answered|unreachable|cannot be reached/);
    expect(outcomeProblem(observation('refused'))).toMatch(
      new RegExp(`^${server.name} answered but refused the login`),
    );
    expect(outcomeProblem(observation('network'))).toMatch(new RegExp(`^${server.name} cannot be reached`));
    expect(outcomeProblem(observation('unknown'))).toMatch(new RegExp(`^the state of ${server.name} is unknown`));
  });

  it('count a host as unreachable only when it could not be reached or its state is unknown', () => {
    expect(unreachableServers([observation('local'), observation('refused')])).toEqual([]);
    expect(unreachableServers([observation('network')])).toEqual([server.name]);
    expect(unreachableServers([observation('unknown')])).toEqual([server.name]);
  });
});
