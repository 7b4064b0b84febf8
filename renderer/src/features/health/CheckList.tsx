/** A table of checks with their last result; each row opens its history chart, its editor, or deletes it. */
import { RowActionsHeader } from '../../components/RowActions';
import { Fragment } from 'react';
import type { Api } from '../../../../shared/api-client';
import type { Check, CheckView } from '../../../../shared/checks';
import { HistoryChart } from './HistoryChart';
import { StatusPill } from './StatusPill';
import { ago } from './health-model';

/** What the table needs. */
export interface CheckListProps {
  api: Api;
  views: readonly CheckView[];
  /** The check whose chart is open. */
  openChart: number | null;
  onToggleChart: (checkId: number) => void;
  onEdit: (check: Check) => void;
  onDelete: (check: Check) => void;
  /** Bumped when results arrive, so open charts reload. */
  revision: number;
  now: number;
}

/** The checks table. */
export function CheckList({ api, views, openChart, onToggleChart, onEdit, onDelete, revision, now }: CheckListProps) {
  if (views.length === 0) return <p className="muted">No checks here yet.</p>;
  return (
    <table className="health-checks">
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Check</th>
          <th scope="col">Last result</th>
          <RowActionsHeader />
        </tr>
      </thead>
      <tbody>
        {views.map(({ check, latest }) => (
          <Fragment key={check.id}>
            <tr data-testid={`check-${check.id}`} className={check.enabled ? undefined : 'health-disabled'}>
              <td>
                <StatusPill status={latest?.status ?? 'unknown'} />
              </td>
              <td>
                <span className="health-check-name">{check.name}</span>
                <span className="muted health-check-meta">
                  {check.kind}, every {check.intervalSeconds} s{check.enabled ? '' : ', disabled'}
                </span>
              </td>
              <td>
                {latest ? (
                  <>
                    <span className="health-summary">{latest.summary}</span>
                    <span className="muted health-check-meta">{ago(latest.at, now)}</span>
                  </>
                ) : (
                  <span className="muted">not run yet</span>
                )}
              </td>
              <td className="health-actions">
                <button
                  type="button"
                  className="button button-small"
                  aria-expanded={openChart === check.id}
                  onClick={() => onToggleChart(check.id)}
                >
                  History
                </button>
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => onEdit(check)}
                  aria-label={`Edit ${check.name}`}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="button button-small button-quiet-danger"
                  onClick={() => onDelete(check)}
                  aria-label={`Delete ${check.name}`}
                >
                  Delete
                </button>
              </td>
            </tr>
            {openChart === check.id && (
              <tr>
                <td colSpan={4}>
                  <HistoryChart api={api} checkId={check.id} kind={check.kind} revision={revision} />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
