/**
 * Health: each service group and host with its live status, who holds each VIP, replication lag,
 * drift, and a history chart per check; monitoring on/off, run now, default checks, the editor.
 * Checks and results come from the store's health slice, alerts with their timelines from the
 * alerting slice; the contract events (`checks.result`, `alerts.raised`, `alerts.updated`,
 * `workspace.changed`) keep them current.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Check, CheckView } from '../../../../shared/checks';
import type { Server } from '../../../../shared/domain';
import { summariseRun } from '../../../../shared/logic/check-run-summary';
import { ScreenHeader } from '../../components/ScreenHeader';
import { useApp } from '../../store/store-context';
import { selectApi, selectCall } from '../../store/selectors';
import { CheckEditor } from './CheckEditor';
import { CheckList } from './CheckList';
import { GroupCard } from './GroupCard';
import { HostKeyDialog } from './HostKeyDialog';
import { IncidentList } from './IncidentList';
import { PasswordDialog } from './PasswordDialog';
import { ago, groupHealth, ungroupedChecks } from './health-model';
import './health.css';

/** The Health screen. */
export function HealthScreen() {
  const api = useApp(selectApi);
  const call = useApp(selectCall);
  const snapshot = useApp((s) => s.snapshot);
  const views = useApp((s) => s.checkViews);
  const monitoring = useApp((s) => s.monitoring);
  const incidents = useApp((s) => s.incidents);
  const revision = useApp((s) => s.resultsRevision);
  const healthError = useApp((s) => s.healthError);
  const groupStates = useApp((s) => s.groupStates);
  const applyResult = useApp((s) => s.applyResult);
  const refreshHealth = useApp((s) => s.refreshHealth);
  const [now, setNow] = useState(() => Date.now());
  const [editing, setEditing] = useState<{ check: Check | null } | null>(null);
  const [hostKey, setHostKey] = useState<Server | null>(null);
  const [passwordFor, setPasswordFor] = useState<Server | null>(null);
  const [openChart, setOpenChart] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  // Only the clock ticks here ("2 min ago"); the data is the store's.
  useEffect(() => {
    const clock = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(clock);
  }, []);

  const groups = useMemo(() => (snapshot ? groupHealth(snapshot, views) : []), [snapshot, views]);
  const others = useMemo(() => (snapshot ? ungroupedChecks(snapshot, views) : []), [snapshot, views]);

  /** Run an action with the buttons disabled, and say how it went. */
  const act = async (label: string, action: () => Promise<string | void>) => {
    setBusy(label);
    setMessage(null);
    try {
      const text = await action();
      if (text) setMessage(text);
    } catch (error) {
      setMessage(`${label} failed: ${(error as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  const runNow = () =>
    act('Run now', async () => {
      const results = await api.call('checks.runNow', {});
      // The results also arrive as events; applying them here keeps the screen right if one was dropped.
      results.forEach(applyResult);
      return summariseRun(results).text;
    });
  const addDefaults = () =>
    act('Add default checks', async () => {
      const { created, existing } = await call('checks.generateDefaults', {});
      return `${created.length} checks added from the service groups${existing ? ` (${existing} were there already)` : ''}.`;
    });
  const toggleMonitoring = () =>
    act('Monitoring', async () => void (await call('monitoring.set', { enabled: !monitoring?.enabled })));
  const remove = (check: Check) => act('Delete', async () => void (await call('checks.delete', { id: check.id })));
  const list = (items: readonly CheckView[]) => (
    <CheckList
      api={api}
      views={items}
      openChart={openChart}
      onToggleChart={(id) => setOpenChart((open) => (open === id ? null : id))}
      onEdit={(check) => setEditing({ check })}
      onDelete={(check) => void remove(check)}
      revision={revision}
      now={now}
    />
  );

  return (
    <>
      <ScreenHeader
        title="Health"
        description="What every service group and server looks like right now, and how it has been."
      >
        <button
          type="button"
          className={`button${monitoring?.enabled ? '' : ' button-primary'}`}
          disabled={busy !== null}
          onClick={() => void toggleMonitoring()}
          aria-pressed={monitoring?.enabled ?? false}
        >
          {monitoring?.enabled ? 'Turn monitoring off' : 'Turn monitoring on'}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy !== null || views.length === 0}
          onClick={() => void runNow()}
        >
          Run all now
        </button>
        <button type="button" className="button" disabled={busy !== null} onClick={() => void addDefaults()}>
          Add default checks
        </button>
        <button
          type="button"
          className="button"
          disabled={busy !== null || !snapshot}
          onClick={() => setEditing({ check: null })}
        >
          New check
        </button>
      </ScreenHeader>
      {monitoring && !monitoring.enabled && (
        <p className="health-banner" data-testid="monitoring-off">
          Monitoring is off for this workspace: no server is contacted in the background until you turn it on.
          &ldquo;Run all now&rdquo; still runs the checks once.
        </p>
      )}
      {monitoring?.enabled && (
        <p className="muted health-sweep" data-testid="monitoring-on">
          Monitoring is on{monitoring.running ? '' : ' (it runs while the console is open)'}
          {monitoring.lastSweep
            ? `; last sweep ${ago(monitoring.lastSweep.at, now)}: ${monitoring.lastSweep.checks} checks on ${monitoring.lastSweep.hosts} hosts in ${monitoring.lastSweep.durationMs} ms`
            : ''}
          .
        </p>
      )}
      {healthError && (
        <p className="health-message" role="alert">
          The health data could not be read: {healthError}
        </p>
      )}
      {message && (
        <p className="health-message" role="status">
          {message}
        </p>
      )}
      <IncidentList incidents={incidents} now={now} />
      {snapshot && views.length === 0 && (
        <div className="empty-state">
          <p>
            No health checks yet. &ldquo;Add default checks&rdquo; creates the ones each service group implies: VIP
            ownership, replication, sync freshness and drift, services, and SSH, disk and load on every member.
          </p>
        </div>
      )}
      <div className="health-groups">
        {groups.map((health) => (
          <GroupCard
            key={health.group.id}
            health={health}
            onTrustHostKey={setHostKey}
            onSetPassword={setPasswordFor}
            recorded={groupStates.find((s) => s.groupId === health.group.id)}
          >
            {list(health.checks)}
          </GroupCard>
        ))}
        {others.length > 0 && (
          <section className="panel health-group" aria-labelledby="health-other-title">
            <h2 id="health-other-title" className="panel-title">
              Other checks
            </h2>
            {list(others)}
          </section>
        )}
      </div>
      {editing && snapshot && (
        <CheckEditor
          api={api}
          snapshot={snapshot}
          check={editing.check}
          onClose={() => setEditing(null)}
          onSaved={() => void refreshHealth()}
        />
      )}
      {hostKey && (
        <HostKeyDialog
          api={api}
          serverId={hostKey.id}
          serverName={hostKey.name}
          onClose={() => setHostKey(null)}
          onTrusted={() => void runNow()}
        />
      )}
      {passwordFor && (
        <PasswordDialog
          api={api}
          serverId={passwordFor.id}
          serverName={passwordFor.name}
          onClose={() => setPasswordFor(null)}
          onSaved={() => void runNow()}
        />
      )}
      {/* "Run now" from here may need a key unlocked; the app may mount this app-wide instead (then remove it here). */}
    </>
  );
}
