/** A check status as a coloured word, never colour alone. */
import type { CheckStatus } from '../../../../shared/checks';
import { STATUS_LABEL } from './health-model';

/** A status pill with its word. */
export function StatusPill({ status }: { status: CheckStatus }) {
  return <span className={`status-pill status-${status}`}>{STATUS_LABEL[status]}</span>;
}
