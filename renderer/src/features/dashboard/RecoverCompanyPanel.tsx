/** The way from the Dashboard into "Recover the company" on the Failover screen, and how the latest recovery went. */
import { hashOf } from '../../app/routing';
import { useApp } from '../../store/store-context';
import { selectTargetMinutes } from '../../store/selectors';
import { formatMinutes } from '../../../../shared/logic/recovery-order';

export function RecoverCompanyPanel() {
  const openRecovery = useApp((s) => s.openRecovery);
  const targetMinutes = useApp(selectTargetMinutes);
  const latest = useApp((s) => s.recoveries[0] ?? null);
  return (
    <section aria-labelledby="recover-company-title" className="panel" data-testid="recover-company">
      <h2 id="recover-company-title" className="panel-title">
        Recover the company
      </h2>
      <p className="panel-description">
        Every service group in recovery order in one run
        {targetMinutes !== null && `, against the target of ${formatMinutes(targetMinutes)}`}.
      </p>
      {latest && (
        <p className={latest.status === 'running' ? 'recovery-latest-running' : 'muted'}>
          Recovery #{latest.id}: {latest.status}
        </p>
      )}
      <a className="button button-danger" href={hashOf('failover')} onClick={() => void openRecovery(true)}>
        {latest?.status === 'running' ? 'Follow the recovery' : 'Recover the company…'}
      </a>
    </section>
  );
}
