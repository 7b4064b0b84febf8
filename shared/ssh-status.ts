/**
 * Why Lifeboat could not use a host over SSH, in the four words people must be able to tell apart
 * (docs/safety.md, "status tells what Lifeboat knows"): a local problem (no agent, no key, a
 * passphrase needed: nothing says the host is up or down), a host that answered and refused the
 * login (it is up), a host that cannot be reached, and unknown (the connection broke before an
 * answer could be judged). Pure: the engine, the checks, pre-flight and the screens share the words.
 */

export const SSH_FAILURE_CAUSES = ['local', 'refused', 'network', 'unknown'] as const;
export type SshFailureCause = (typeof SSH_FAILURE_CAUSES)[number];

/** The short phrase for a host name: "Lifeboat cannot log in to web-a (a local problem …)". */
export function sshFailureWords(cause: SshFailureCause, host: string): string {
  switch (cause) {
    case 'local':
      return `Lifeboat cannot log in to ${host} (a local problem: no SSH agent, no usable key, or a passphrase is needed); nothing was exchanged with it: up or down, unknown`;
    case 'refused':
      return `${host} answered but refused the login`;
    case 'network':
      return `${host} cannot be reached`;
    case 'unknown':
      return `the state of ${host} is unknown (the connection failed before an answer could be judged)`;
  }
}

/** Whether the failure says anything about the host being down: only "cannot be reached" and "unknown" may. */
export function mayBeDown(cause: SshFailureCause): boolean {
  return cause === 'network' || cause === 'unknown';
}
