/** The pre-flight checks and the plan with the exact commands per host, as the operator confirms them. */
import type { Plan, Preflight } from '../../../../shared/contract/failover';

/** Pre-flight: one line per check, blocking ones first. */
export function PreflightView({ preflight }: { preflight: Preflight }) {
  const order = { block: 0, 'needs-attestation': 1, 'needs-acknowledgement': 2, warn: 3, ok: 4 } as const;
  const checks = [...preflight.checks].sort((a, b) => order[a.status] - order[b.status]);
  return (
    <section aria-labelledby="preflight-title">
      <h2 id="preflight-title">Pre-flight ({preflight.durationMs} ms)</h2>
      <ul className="preflight-checks">
        {checks.map((check) => (
          <li key={check.name} className={`preflight-${check.status}`}>
            <strong>{check.status === 'ok' ? 'OK' : check.status.toUpperCase()}</strong> {check.name}: {check.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The plan: each step, who does it, and the scripts that will be sent, host by host. */
export function PlanView({ plan }: { plan: Plan }) {
  return (
    <section aria-labelledby="plan-title">
      <h2 id="plan-title">
        Plan: {plan.direction} of {plan.groupName}{' '}
        {plan.direction === 'reprotect'
          ? '(generated from the group and its recorded state)'
          : plan.runbookSaved
            ? ''
            : '(generated runbook, not yet saved)'}
      </h2>
      <ol className="plan-steps">
        {plan.steps.map((step) => (
          <li key={step.index}>
            <strong>{step.title}</strong> {step.host && <span>on {step.host}</span>}{' '}
            {step.role && <span>({step.role})</span>}
            <p>{step.description}</p>
            {step.commands.map((command, i) => (
              <div key={i} className="plan-command">
                <div>
                  on <strong>{command.host}</strong>: {command.purpose}
                  {command.readOnly ? ' (read only)' : ''}
                </div>
                <pre>{command.script}</pre>
              </div>
            ))}
          </li>
        ))}
      </ol>
    </section>
  );
}
