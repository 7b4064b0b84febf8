/** The audit log: every command, confirmation, attestation, skip and abort; verify the chain; export. */
import { useState } from 'react';
import type { AuditVerification } from '../../../../shared/contract/failover';
import { useApp } from '../../store/store-context';
import { selectApi } from '../../store/selectors';

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** Newest rows first, 200 at a time; the store keeps them current as runs write new rows. */
export function AuditScreen() {
  const api = useApp(selectApi);
  const rows = useApp((s) => s.auditRows);
  const hasOlder = useApp((s) => s.auditHasOlder);
  const loadOlder = useApp((s) => s.loadOlderAudit);
  const auditError = useApp((s) => s.auditError);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const error = actionError ?? auditError;

  // Verifying and exporting are answers shown once, not state to keep current.
  const verify = () => api.call('audit.verify', {}).then(setVerification, (e: Error) => setActionError(e.message));
  const exportAs = async (format: 'csv' | 'json') => {
    try {
      const result = await api.call('audit.export', { format });
      download(`lifeboat-audit.${format}`, result.text, format === 'csv' ? 'text/csv' : 'application/json');
    } catch (e) {
      setActionError((e as Error).message);
    }
  };

  return (
    <>
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Audit log</h1>
          <p className="screen-description">
            Every remote command (intent before, outcome after), confirmation, attestation, skip and abort,
            hash-chained.
          </p>
        </div>
        <div className="screen-actions">
          <button type="button" className="button" onClick={() => void verify()}>
            Verify the chain
          </button>
          <button type="button" className="button" onClick={() => void exportAs('csv')}>
            Export CSV
          </button>
          <button type="button" className="button" onClick={() => void exportAs('json')}>
            Export JSON
          </button>
        </div>
      </div>
      {verification && (
        <p role="status">
          {verification.ok
            ? `Intact: ${verification.rows} rows verified.`
            : `BROKEN at row ${verification.firstBroken?.id}: ${verification.firstBroken?.reason}`}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      <table className="table">
        <thead>
          <tr>
            <th>#</th>
            <th>When</th>
            <th>What</th>
            <th>Who</th>
            <th>Run</th>
            <th>Host</th>
            <th>Command / detail</th>
            <th>Exit</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{row.id}</td>
              <td>{new Date(row.at).toLocaleString()}</td>
              <td>{row.kind}</td>
              <td>{row.actor}</td>
              <td>
                {row.runId ?? ''}
                {row.stepIndex !== null && row.stepIndex >= 0 ? ` / ${row.stepIndex + 1}` : ''}
              </td>
              <td>{row.host}</td>
              <td>
                <pre className="audit-command">{row.command || row.detail}</pre>
                {row.output && (
                  <details>
                    <summary>output</summary>
                    <pre>{row.output}</pre>
                  </details>
                )}
              </td>
              <td>{row.exitCode ?? ''}</td>
              <td>{row.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hasOlder && (
        <button type="button" className="button" onClick={() => void loadOlder()}>
          Older rows
        </button>
      )}
    </>
  );
}
