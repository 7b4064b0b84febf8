/**
 * "Recover the company": every group (or those ticked) in the computed recovery order, priorities
 * one after another and groups of one priority together, manual steps with who does them and
 * their phone; one pre-flight over every group; one confirmation, the company's name, bound to the
 * recovery plan shown (a plan that changes under the operator asks for the name again). Then the
 * live recovery (RecoveryRunPanel).
 */
import { useEffect, useRef, useState } from 'react';
import type { RecoveryPlan, RecoveryPreflight } from '../../../../shared/contract/recovery';
import { formatMinutes } from '../../../../shared/logic/recovery-order';
import { useApp } from '../../store/store-context';
import { selectApi, selectCall, selectGroups } from '../../store/selectors';
import { RecoveryRunPanel } from './RecoveryRunPanel';

/** The plan as a person reads it: priorities, what each group waits for, the manual steps and who does them. */
function RecoveryPlanView({ plan }: { plan: RecoveryPlan }) {
  const priorities = [...new Set(plan.groups.map((g) => g.priority))];
  return (
    <section aria-labelledby="recovery-plan-title" className="recovery-plan">
      <h2 id="recovery-plan-title">
        Recovery order{plan.targetMinutes !== null && ` (target: back within ${formatMinutes(plan.targetMinutes)})`}
      </h2>
      {priorities.map((priority) => {
        const together = plan.groups.filter((g) => g.priority === priority);
        return (
          <div key={priority}>
            <h3 className="recovery-priority">
              Priority {priority}
              {together.length > 1 ? ' (in parallel)' : ''}
            </h3>
            <ul className="recovery-plan-groups">
              {together.map((g) => (
                <li key={g.groupId} data-testid={`recovery-plan-${g.groupName}`}>
                  <strong>{g.groupName}</strong>: {g.sourceName} → {g.targetName}, {g.plan.steps.length} steps
                  {g.rtoMinutes !== null && `, RTO ${formatMinutes(g.rtoMinutes)}`}
                  {g.needs.length > 0 && `, after ${g.needs.join(', ')}`}
                  {g.assumedRunning.length > 0 && `; assumes ${g.assumedRunning.join(', ')} running`}
                  {g.manual.length > 0 && (
                    <ul className="recovery-manual">
                      {g.manual.map((m) => (
                        <li key={m.stepIndex}>
                          By hand: {m.title} —{' '}
                          {m.owner ? (
                            <>
                              <strong>{m.owner}</strong>
                              {m.phone && <span className="mono"> {m.phone}</span>}
                            </>
                          ) : (
                            `the ${m.role || 'operator'} (no contact found)`
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                  <details>
                    <summary>Steps and exact commands</summary>
                    <ol className="plan-steps">
                      {g.plan.steps.map((step) => (
                        <li key={step.index}>
                          <strong>{step.title}</strong> {step.host && <span>on {step.host}</span>}
                          {step.commands.map((command, i) => (
                            <pre key={i}>{command.script}</pre>
                          ))}
                        </li>
                      ))}
                    </ol>
                  </details>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}

/** Each group's pre-flight in one list: what blocks first. */
function RecoveryPreflightView({ preflight }: { preflight: RecoveryPreflight }) {
  return (
    <section aria-labelledby="recovery-preflight-title">
      <h2 id="recovery-preflight-title">
        Pre-flight of every group ({preflight.durationMs} ms): {preflight.passed ? 'passed' : 'BLOCKED'}
      </h2>
      <ul className="preflight-checks">
        {preflight.groups.flatMap((p) => {
          const notOk = p.checks.filter((c) => c.status !== 'ok');
          if (notOk.length === 0)
            return [
              <li key={p.groupId} className="preflight-ok">
                <strong>OK</strong> {p.groupName}: {p.checks.length} checks passed
              </li>,
            ];
          return notOk.map((c) => (
            <li key={`${p.groupId}-${c.name}`} className={`preflight-${c.status}`}>
              <strong>{c.status.toUpperCase()}</strong> {p.groupName}: {c.name}: {c.detail}
            </li>
          ));
        })}
      </ul>
    </section>
  );
}

/** The whole flow, from choosing the groups to the summary. */
export function RecoverCompany() {
  const api = useApp(selectApi);
  const call = useApp(selectCall);
  const groups = useApp(selectGroups);
  const plan = useApp((s) => s.recoveryPlan);
  const planError = useApp((s) => s.recoveryPlanError);
  const chosen = useApp((s) => s.recoveryGroupIds);
  const choose = useApp((s) => s.chooseRecoveryGroups);
  const openRecovery = useApp((s) => s.openRecovery);
  const latest = useApp((s) => s.recoveries[0] ?? null);
  const [shownId, setShownId] = useState<number | null>(null);
  const [preflight, setPreflight] = useState<RecoveryPreflight | null>(null);
  const [confirmation, setConfirmation] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [planChanged, setPlanChanged] = useState(false);
  const shownHash = useRef<string | null>(null);

  // The name confirms the plan shown: a plan that changes under the operator is confirmed afresh.
  useEffect(() => {
    const hash = plan?.planHash ?? null;
    if (shownHash.current !== null && hash !== null && shownHash.current !== hash) {
      setConfirmation('');
      setPreflight(null);
      setPlanChanged(true);
    }
    shownHash.current = hash;
  }, [plan?.planHash]);

  const running = latest?.status === 'running' ? latest : null;
  const shown = running ?? (latest && latest.id === shownId ? latest : null);
  if (shown) {
    return (
      <>
        <RecoveryRunPanel view={shown} />
        {!running && (
          <button type="button" className="button" onClick={() => setShownId(null)}>
            Plan another recovery
          </button>
        )}
      </>
    );
  }

  const toggle = (groupId: number, on: boolean) => {
    const current = chosen ?? groups.map((g) => g.id);
    const next = on ? [...current, groupId] : current.filter((id) => id !== groupId);
    setPreflight(null);
    void choose(next.length === groups.length ? null : next);
  };
  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      setPreflight(await api.call('recovery.preflight', { groupIds: chosen ?? undefined }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const start = async () => {
    if (!plan) return;
    setBusy(true);
    setError(null);
    try {
      const view = await call('recovery.start', {
        groupIds: chosen ?? undefined,
        confirmation,
        planHash: plan.planHash,
      });
      setShownId(view.id);
      setConfirmation('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const word = plan?.confirmationWord ?? '';
  const ready = plan !== null && preflight?.passed === true && confirmation.trim() === word;
  return (
    <>
      <fieldset className="recovery-choose">
        <legend>Groups to recover</legend>
        {groups.map((g) => (
          <label key={g.id}>
            <input
              type="checkbox"
              checked={chosen === null || chosen.includes(g.id)}
              onChange={(e) => toggle(g.id, e.target.checked)}
            />{' '}
            {g.name}
          </label>
        ))}
        <button type="button" className="button" disabled={!plan || busy} onClick={() => void check()}>
          Run the pre-flight of every group
        </button>
        <button type="button" className="button" onClick={() => void openRecovery(false)}>
          Fail over one group instead
        </button>
      </fieldset>
      {(error ?? planError) && (
        <p role="alert" className="failover-error">
          {error ?? planError}
        </p>
      )}
      {plan && <RecoveryPlanView plan={plan} />}
      {preflight && <RecoveryPreflightView preflight={preflight} />}
      {plan && (
        <form
          className="failover-confirm"
          onSubmit={(e) => {
            e.preventDefault();
            if (ready) void start();
          }}
          noValidate
        >
          {planChanged && (
            <p role="status" className="failover-plan-changed">
              The recovery plan changed while it was shown (a group, its runbook or the order): review it above, run the
              pre-flight again, then type the name again.
            </p>
          )}
          <label htmlFor="recovery-confirmation">Type the company's name ({word}) to recover the company</label>
          <input
            id="recovery-confirmation"
            value={confirmation}
            onChange={(e) => setConfirmation(e.target.value)}
            autoComplete="off"
          />
          {!preflight?.passed && (
            <p className="failover-not-ready" role="status">
              {preflight ? 'The pre-flight blocks: leave that group out or fix it first.' : 'Run the pre-flight first.'}
            </p>
          )}
          <button type="submit" className="button button-danger" disabled={!ready || busy}>
            Recover the company now
          </button>
        </form>
      )}
    </>
  );
}
