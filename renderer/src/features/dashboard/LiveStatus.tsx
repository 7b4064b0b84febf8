/**
 * The Dashboard's live panel: each service group with the worst status of its checks, who holds
 * each virtual IP (an alarm on none or two), replication lag and drift, and whether monitoring runs.
 * Results arrive as `checks.result` events; the full detail is on the Health screen.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CheckView, MonitoringStatus } from '../../../../shared/checks';
import { hashOf } from '../../app/routing';
import { useApp } from '../../store/store-context';
import { selectApi } from '../../store/selectors';
import type { AppState } from '../../store/app-state';
import { StatusPill } from '../health/StatusPill';
import { WatcherStatus } from './WatcherStatus';
import { ago, formatBytes, groupHealth, type GroupHealth, type VipHolding } from '../health/health-model';

const selectSnapshot = (s: AppState) => s.snapshot;

/** "10.77.0.10 on web-a", or the alarm when none or several hold it. */
function vipText(vip: VipHolding): { text: string; alarm: boolean } {
  if (vip.holders.length === 1) return { text: `${vip.address} on ${vip.holders[0]}`, alarm: false };
  if (vip.holders.length === 0) return { text: `${vip.address} on no member`, alarm: true };
  return { text: `${vip.address} on ${vip.holders.join(' and ')}: two holders`, alarm: true };
}

function GroupLine({ health }: { health: GroupHealth }) {
  const lag = health.replication;
  return (
    <li className="live-group" data-testid={`live-group-${health.group.name}`}>
      <div className="live-group-head">
        <StatusPill status={health.status} />
        <span className="live-group-name">{health.group.name}</span>
        <span className="muted">{health.services.map((s) => s.name).join(', ') || 'no service'}</span>
      </div>
      <ul className="live-facts">
        {(health.vips ?? []).map((vip) => {
          const { text, alarm } = vipText(vip);
          return (
            <li key={vip.address} className={alarm ? 'live-alarm' : undefined} data-testid="live-vip">
              VIP {text}
            </li>
          );
        })}
        {lag && (
          <li>
            Replication lag {formatBytes(lag.lagBytes)}
            {lag.lagSeconds !== null ? `, ${lag.lagSeconds} s` : ''}
          </li>
        )}
        {health.drift && health.drift.differing.length > 0 && <li className="live-alarm">Drift: {health.drift.differing.join(', ')}</li>}
      </ul>
    </li>
  );
}

/** Live status of every group, kept current by check results. */
export function LiveStatus() {
  const api = useApp(selectApi);
  const snapshot = useApp(selectSnapshot);
  const [views, setViews] = useState<CheckView[]>([]);
  const [monitoring, setMonitoring] = useState<MonitoringStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      Promise.all([api.call('checks.list', {}), api.call('monitoring.status', {})]).then(
        ([list, status]) => {
          if (!live) return;
          setViews(list);
          setMonitoring(status);
          setProblem(null);
        },
        (error: Error) => live && setProblem(error.message),
      );
    void load();
    const stop = api.on('checks.result', (result) => {
      setViews((list) => list.map((view) => (view.check.id === result.checkId ? { ...view, latest: result } : view)));
    });
    return () => {
      live = false;
      stop();
    };
  }, [api, snapshot]);

  const groups = useMemo(() => (snapshot ? groupHealth(snapshot, views) : []), [snapshot, views]);
  const checked = views.some((v) => v.latest);

  return (
    <section aria-labelledby="live-title" className="panel" data-testid="live-status">
      <h2 id="live-title" className="panel-title">
        Live status
      </h2>
      <p className="panel-description">
        {monitoring?.running
          ? `Monitoring on${monitoring.lastSweep ? `; last sweep ${ago(monitoring.lastSweep.at)}` : ''}.`
          : monitoring?.enabled
            ? 'Monitoring is on, but no scheduler runs in this process.'
            : 'Monitoring is off: these are the last results recorded.'}{' '}
        <a href={hashOf('health')}>Health details</a>
      </p>
      <WatcherStatus monitoring={monitoring} />
      {problem && <p role="alert" className="callout callout-error">The health data could not be read: {problem}</p>}
      {views.length === 0 ? (
        <p className="muted">
          No health checks yet. <a href={hashOf('health')}>Add the default checks</a> to watch every group.
        </p>
      ) : (
        <ul className="live-groups">
          {groups.map((health) => (
            <GroupLine key={health.group.id} health={health} />
          ))}
        </ul>
      )}
      {views.length > 0 && !checked && <p className="muted">No check has run yet.</p>}
    </section>
  );
}
