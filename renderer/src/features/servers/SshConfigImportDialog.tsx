/**
 * Add servers from an SSH client config (~/.ssh/config): paste it or choose the file, review the
 * Host entries it proposes (with the reason where one cannot be added), tick the ones to add.
 * Nothing is saved until "Add"; the host reads the file again and adds all or nothing.
 */
import { useState } from 'react';
import { ApiError } from '../../../../shared/api-client';
import type { MethodOutput } from '../../../../shared/contract/index';
import { Dialog, DialogBody, DialogFooter } from '../../components/Dialog';
import { useApp } from '../../store/store-context';
import { selectCall, selectNotify } from '../../store/selectors';

type Proposal = MethodOutput<'hosts.importSshConfig'>;

/** The dialog; `onClose` after adding or cancelling. */
export function SshConfigImportDialog({ onClose }: { onClose: () => void }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const [text, setText] = useState('');
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [problem, setProblem] = useState<{ message: string; details: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const read = async (configText: string) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await call('hosts.importSshConfig', { text: configText });
      setProposal(result);
      setChosen(new Set(result.hosts.filter((h) => h.draft).map((h) => h.alias)));
    } catch (error) {
      setProblem({ message: (error as Error).message, details: [] });
    } finally {
      setBusy(false);
    }
  };

  const chooseFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > 1024 * 1024)
      return setProblem({ message: `${file.name} is larger than 1 MiB: it is not an SSH config.`, details: [] });
    const content = await file.text();
    setText(content);
    await read(content);
  };

  const add = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const aliases = proposal!.hosts.filter((h) => chosen.has(h.alias)).map((h) => h.alias);
      const { saved } = await call('servers.importSshConfig', { text, aliases });
      notify(
        'success',
        `Added ${saved.length} server${saved.length === 1 ? '' : 's'} from the SSH config: ${saved.map((s) => s.name).join(', ')}. Confirm each host key on first contact.`,
      );
      onClose();
    } catch (error) {
      const details = error instanceof ApiError ? error.issues.map((issue) => issue.message) : [];
      setProblem({ message: (error as Error).message, details });
      setBusy(false);
    }
  };

  const toggle = (alias: string) => {
    const next = new Set(chosen);
    if (next.has(alias)) next.delete(alias);
    else next.add(alias);
    setChosen(next);
  };

  return (
    <Dialog title="Add servers from an SSH config" onClose={onClose} size="large" testId="ssh-config-import">
      <DialogBody>
        {!proposal ? (
          <>
            <p>
              Choose your SSH client config (usually <span className="mono">~/.ssh/config</span>) or paste it. Host,
              HostName, User, Port, IdentityFile and ProxyJump are read; keys stay where they are, referenced by path.
            </p>
            <div className="field">
              <label htmlFor="ssh-config-file">Config file</label>
              <input id="ssh-config-file" type="file" onChange={(e) => void chooseFile(e.target.files?.[0])} />
            </div>
            <div className="field">
              <label htmlFor="ssh-config-text">Or paste it</label>
              <textarea
                id="ssh-config-text"
                className="mono"
                rows={10}
                value={text}
                onChange={(e) => setText(e.target.value)}
                spellCheck={false}
              />
            </div>
          </>
        ) : (
          <>
            {proposal.problems.length > 0 && (
              <div className="callout callout-warning">
                <ul className="problem-list">
                  {proposal.problems.map((p) => (
                    <li key={`${p.line}:${p.message}`}>
                      line {p.line}: {p.message}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {proposal.hosts.length === 0 ? (
              <p>
                The config names no concrete Host to add (patterns such as <span className="mono">*</span> are not
                servers).
              </p>
            ) : (
              <table className="data-table" data-testid="ssh-config-hosts">
                <thead>
                  <tr>
                    <th scope="col">Add</th>
                    <th scope="col">Host</th>
                    <th scope="col">Connects to</th>
                    <th scope="col">Through</th>
                  </tr>
                </thead>
                <tbody>
                  {proposal.hosts.map((host) => (
                    <tr key={host.alias}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Add ${host.alias}`}
                          checked={chosen.has(host.alias)}
                          disabled={!host.draft}
                          onChange={() => toggle(host.alias)}
                        />
                      </td>
                      <th scope="row">{host.alias}</th>
                      <td>
                        {host.draft ? (
                          <span className="mono">
                            {host.draft.ssh.user}@{host.draft.ssh.host}:{host.draft.ssh.port}
                            {host.draft.ssh.auth.kind === 'key'
                              ? ` (key ${host.draft.ssh.auth.keyPath})`
                              : ' (SSH agent)'}
                          </span>
                        ) : (
                          <span className="field-error">{host.problems.join('; ')}</span>
                        )}
                      </td>
                      <td>{host.jumpAlias ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
        {problem && (
          <div className="callout callout-error" role="alert" data-testid="ssh-config-errors">
            <p className="callout-title">{problem.message}</p>
            {problem.details.length > 1 && (
              <ul className="problem-list">
                {problem.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </DialogBody>
      <DialogFooter>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        {!proposal ? (
          <button
            type="button"
            className="button button-primary"
            disabled={busy || !text.trim()}
            onClick={() => void read(text)}
          >
            Read the config
          </button>
        ) : (
          <button
            type="button"
            className="button button-primary"
            disabled={busy || chosen.size === 0}
            onClick={() => void add()}
          >
            {busy ? 'Adding…' : `Add ${chosen.size} server${chosen.size === 1 ? '' : 's'}`}
          </button>
        )}
      </DialogFooter>
    </Dialog>
  );
}
