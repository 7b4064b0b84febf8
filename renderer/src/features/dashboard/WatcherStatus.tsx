/**
 * Who watches the watcher: when the last health sweep ran, and when the heartbeat URL (a dead man's
 * switch such as healthchecks.io) last accepted a ping, with the form that sets that URL. Read again
 * every half minute while shown: the heartbeat goes out once a minute.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { MonitoringStatus } from '../../../../shared/checks';
import type { HeartbeatStatus } from '../../../../shared/heartbeat';
import { TextField } from '../../components/fields';
import { useApp } from '../../store/store-context';
import { selectApi } from '../../store/selectors';
import { ago } from '../health/health-model';

const REFRESH_MS = 30_000;

/** One line about the last sweep: from this process's scheduler, else as the heartbeat last recorded it. */
function sweepLine(monitoring: MonitoringStatus | null, heartbeat: HeartbeatStatus | null, now: number): string {
  const recorded = heartbeat?.lastSweep;
  if (recorded && !recorded.ok) return `Last sweep ${ago(recorded.at, now)} failed: ${recorded.detail}`;
  if (monitoring?.lastSweep) return `Last sweep ${ago(monitoring.lastSweep.at, now)} (${monitoring.lastSweep.checks} checks on ${monitoring.lastSweep.hosts} hosts)`;
  if (recorded) return `Last sweep ${ago(recorded.at, now)}`;
  return 'No sweep has run yet';
}

/** One line about the heartbeat: not set, last accepted, or refused. */
function heartbeatLine(heartbeat: HeartbeatStatus | null, now: number): { text: string; alarm: boolean } {
  if (!heartbeat?.target) return { text: 'No heartbeat URL: nothing outside this watcher will notice if it stops.', alarm: false };
  const accepted = heartbeat.lastAcceptedAt ? `last accepted ${ago(heartbeat.lastAcceptedAt, now)}` : 'never accepted yet';
  const ping = heartbeat.lastPing;
  if (ping && !ping.accepted) return { text: `Heartbeat to ${heartbeat.target}: ${accepted}; the last ping (${ago(ping.at, now)}) was refused: ${ping.detail}`, alarm: true };
  const kind = ping?.kind === 'fail' ? ' (reported a failed sweep)' : '';
  return { text: `Heartbeat to ${heartbeat.target} every ${heartbeat.intervalSeconds} s: ${accepted}${kind}`, alarm: ping?.kind === 'fail' };
}

/** The watcher panel's lines and heartbeat form. */
export function WatcherStatus({ monitoring }: { monitoring: MonitoringStatus | null }) {
  const api = useApp(selectApi);
  const [heartbeat, setHeartbeat] = useState<HeartbeatStatus | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [url, setUrl] = useState('');
  const [errors, setErrors] = useState<string[]>([]);

  useEffect(() => {
    let live = true;
    const load = () =>
      api.call('heartbeat.status', {}).then(
        (status) => live && (setHeartbeat(status), setNow(Date.now())),
        () => {},
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);

  const save = (next: string | null) =>
    api.call('heartbeat.set', { url: next }).then(
      (status) => (setHeartbeat(status), setUrl(''), setErrors([])),
      (error: Error) => setErrors([error.message]),
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(url.trim());
  };

  const beat = heartbeatLine(heartbeat, now);
  return (
    <div className="watcher-status" data-testid="watcher-status">
      <ul className="live-facts">
        <li data-testid="watcher-last-sweep">{sweepLine(monitoring, heartbeat, now)}</li>
        <li data-testid="watcher-heartbeat" className={beat.alarm ? 'live-alarm' : undefined}>
          {beat.text}
        </li>
      </ul>
      <form onSubmit={submit} className="watcher-heartbeat-form">
        <TextField
          id="heartbeat-url"
          label={heartbeat?.target ? 'New heartbeat URL' : 'Heartbeat URL'}
          hint="A check URL of healthchecks.io or alike: pinged every minute while monitoring runs; failures go to the URL with /fail added."
          value={url}
          onChange={setUrl}
          placeholder="https://hc-ping.com/…"
          errors={errors}
          monospace
        />
        <button type="submit" className="button button-primary" disabled={!url.trim()}>
          Save heartbeat URL
        </button>
        {heartbeat?.target && (
          <button type="button" className="button button-quiet" onClick={() => void save(null)}>
            Stop the heartbeat
          </button>
        )}
      </form>
    </div>
  );
}
