/** Every export of the plan: revision, when, format and the start of its content hash. */
import type { PlanRevision } from '../../../../shared/contract/plan';

const FORMAT_LABEL: Record<PlanRevision['format'], string> = { html: 'HTML', md: 'Markdown', pdf: 'PDF' };

/** Newest first, as the host lists them. */
export function RevisionHistory({ revisions }: { revisions: readonly PlanRevision[] }) {
  return (
    <section aria-labelledby="revisions-title" className="panel" data-testid="revisions">
      <h2 id="revisions-title" className="panel-title">
        Revision history
      </h2>
      <p className="panel-description">
        A revision starts when the content changes; exporting an unchanged plan keeps its number and hash.
      </p>
      {revisions.length === 0 ? (
        <p className="muted">The plan has not been exported yet.</p>
      ) : (
        <table className="compact-table">
          <thead>
            <tr>
              <th scope="col">Revision</th>
              <th scope="col">Exported</th>
              <th scope="col">Format</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {revisions.map((revision) => (
              <tr key={revision.id} data-testid="revision">
                <th scope="row">{revision.number}</th>
                <td>{new Date(revision.createdAt).toLocaleString()}</td>
                <td>{FORMAT_LABEL[revision.format]}</td>
                <td className="mono small" title={revision.sha256}>
                  {revision.sha256.slice(0, 12)}…
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
