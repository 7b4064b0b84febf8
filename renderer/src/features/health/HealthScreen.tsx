/**
 * Health: each service group and host with its live status, who holds each VIP, replication lag,
 * drift, and a history chart per check; monitoring on/off, run now, default checks, the editor.
 * Results and alerts arrive as contract events (`checks.result`, `alerts.raised`).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Api } from '../../../../shared/api-client';
import type { Alert, Check, CheckView, MonitoringStatus } from '../../../../shared/checks';
import type { Server, Snapshot } from '../../../../shared/domain';
import { ScreenHeader } from '../../components/ScreenHeader';
import { CheckEditor } from './CheckEditor';
import { CheckList } from './CheckList';
import { GroupCard } from './GroupCard';
import { HostKeyDialog } from './HostKeyDialog';
import { PasswordDialog } from './PasswordDialog';
import { ago, groupHealth, ungroupedChecks } from './health-model';
import './health.css';

/** The screen takes the API client. */
export interface HealthScreenProps {
  api: Api;
}

/** The Health screen. */
export function HealthScreen({ api }: HealthScreenProps) {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [views, setViews] = useState<CheckView[]>([]);
  const [monitoring, setMonitoring] = useState<MonitoringStatus | null>(null);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [revision, setRevision] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [editing, setEditing] = useState<{ check: Check | null } | null>(null);
  const [hostKey, setHostKey] = useState<Server | null>(null);
  const [passwordFor, setPasswordFor] = useState<Server | null>(null);
  const [openChart, setOpenChart] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const [snap, list, status, recent] = await Promise.all([
        api.call('workspace.snapshot', {}),
        api.call('checks.list', {}),
        api.call('monitoring.status', {}),
        api.call('alerts.recent', { limit: 10 }),
      ]);
      setSnapshot(snap);
      setViews(list);
      setMonitoring(status);
      setAlerts(recent);
    } catch (error) {
      setMessage(`The health data could not be read: ${(error as Error).message}`);
    }
  }, [api]);

  useEffect(() => {
    void reload();
    const stops = [
      api.on('checks.result', (result) => {
        setViews((list) => list.map((view) => (view.check.id === result.checkId ? { ...view, latest: result } : view)));
        setRevision((r) => r + 1);
      }),
      api.on('alerts.raised', (alert) => setAlerts((list) => [alert, ...list].slice(0, 10))),
      api.on('workspace.changed', () => void reload()),
    ];
    const clock = setInterval(() => setNow(Date.now()), 15_000);
    return () => {
      stops.forEach((stop) => stop());
      clearInterval(clock);
    };
  }, [api, reload]);

  const groups = useMemo(() => (snapshot ? groupHealth(snapshot, views) : []), [snapshot, views]);
  const others = useMemo(() => (snapshot ? ungroupedChecks(snapshot, views) : []), [snapshot, views]);

  /** Run an action with the buttons disabled, and say how it went. */
  const act = async (label: string, action: () => Promise<string | void>) => {
    setBusy(label);
    setMessage(null);
    try {
      const text = await action();
      if (text) setMessage(text);
      await reload();
    } catch (error) {
      setMessage(`${label} failed: ${(error as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  const runNow = () =>
    act('Run now', async () => {
      const results = await api.call('checks.runNow', {});
      const failing = results.filter((r) => r.status === 'fail').length;
      setRevision((r) => r + 1);
      return `${results.length} checks run: ${failing ? `${failing} failing` : 'none failing'}.`;
    });
  const addDefaults = () =>
    act('Add default checks', async () => {
      const { created, existing } = await api.call('checks.generateDefaults', {});
      return `${created.length} checks added from the service groups${existing ? ` (${existing} were there already)` : ''}.`;
    });
  const toggleMonitoring = () => act('Monitoring', async () => void setMonitoring(await api.call('monitoring.set', { enabled: !monitoring?.enabled })));
  const remove = (check: Check) => act('Delete', async () => void (await api.call('checks.delete', { id: check.id })));
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
      <ScreenHeader title="Health" description="What every service group and server looks like right now, and how it has been.">
        <button type="button" className={`button${monitoring?.enabled ? '' : ' button-primary'}`} disabled={busy !== null} onClick={() => void toggleMonitoring()} aria-pressed={monitoring?.enabled ?? false}>
          {monitoring?.enabled ? 'Turn monitoring off' : 'Turn monitoring on'}
        </button>
        <button type="button" className="button" disabled={busy !== null || views.length === 0} onClick={() => void runNow()}>
          Run all now
        </button>
        <button type="button" className="button" disabled={busy !== null} onClick={() => void addDefaults()}>
          Add default checks
        </button>
        <button type="button" className="button" disabled={busy !== null || !snapshot} onClick={() => setEditing({ check: null })}>
          New check
        </button>
      </ScreenHeader>
      {monitoring && !monitoring.enabled && (
        <p className="health-banner" data-testid="monitoring-off">
          Monitoring is off for this workspace: no server is contacted in the background until you turn it on. &ldquo;Run all now&rdquo; still runs the checks once.
        </p>
      )}
      {monitoring?.enabled && (
        <p className="muted health-sweep" data-testid="monitoring-on">
          Monitoring is on{monitoring.running ? '' : ' (it runs while the console is open)'}
          {monitoring.lastSweep ? `; last sweep ${ago(monitoring.lastSweep.at, now)}: ${monitoring.lastSweep.checks} checks on ${monitoring.lastSweep.hosts} hosts in ${monitoring.lastSweep.durationMs} ms` : ''}.
        </p>
      )}
      {message && (
        <p className="health-message" role="status">
          {message}
        </p>
      )}
      {alerts.length > 0 && (
        <section className="panel health-alerts" aria-labelledby="health-alerts-title">
          <h2 id="health-alerts-title" className="panel-title">
            Recent alerts
          </h2>
          <ul>
            {alerts.slice(0, 5).map((alert) => (
              <li key={`${alert.at}-${alert.kind}-${alert.checkId}`} className={`health-alert health-alert-${alert.kind}`}>
                <strong>{alert.title}</strong> <span className="muted">{ago(alert.at, now)}</span>
                <span className="health-check-meta">{alert.body}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {snapshot && views.length === 0 && (
        <div className="empty-state">
          <p>No health checks yet. &ldquo;Add default checks&rdquo; creates the ones each service group implies: VIP ownership, replication, sync freshness and drift, services, and SSH, disk and load on every member.</p>
        </div>
      )}
      <div className="health-groups">
        {groups.map((health) => (
          <GroupCard key={health.group.id} health={health} onTrustHostKey={setHostKey} onSetPassword={setPasswordFor}>
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
      {editing && snapshot && <CheckEditor api={api} snapshot={snapshot} check={editing.check} onClose={() => setEditing(null)} onSaved={() => void reload()} />}
      {hostKey && <HostKeyDialog api={api} serverId={hostKey.id} serverName={hostKey.name} onClose={() => setHostKey(null)} onTrusted={() => void runNow()} />}
      {passwordFor && <PasswordDialog api={api} serverId={passwordFor.id} serverName={passwordFor.name} onClose={() => setPasswordFor(null)} onSaved={() => void runNow()} />}
      {/* "Run now" from here may need a key unlocked; the app may mount this app-wide instead (then remove it here). */}
    </>
  );
}
