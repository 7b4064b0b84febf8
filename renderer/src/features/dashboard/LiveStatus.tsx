/**
 * The Dashboard's live panel: each service group with the worst status of its checks, who holds
 * each virtual IP (an alarm on none or two), replication lag and drift, and whether monitoring runs.
 * The checks, their results and monitoring come from the store's health slice, which the contract's
 * events keep current; the full detail is on the Health screen.
 */
import { useMemo } from 'react';
import { hashOf } from '../../app/routing';
import { useApp } from '../../store/store-context';
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
        {health.drift && health.drift.differing.length > 0 && (
          <li className="live-alarm">Drift: {health.drift.differing.join(', ')}</li>
        )}
      </ul>
    </li>
  );
}

/** Live status of every group, kept current by check results. */
export function LiveStatus() {
  const snapshot = useApp(selectSnapshot);
  const views = useApp((s) => s.checkViews);
  const monitoring = useApp((s) => s.monitoring);
  const problem = useApp((s) => s.healthError);

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
      {problem && (
        <p role="alert" className="callout callout-error">
          The health data could not be read: {problem}
        </p>
      )}
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
