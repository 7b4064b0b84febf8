/**
 * Who watches the watcher: when the last health sweep ran, and when the heartbeat URL (a dead man's
 * switch such as healthchecks.io) last accepted a ping, with the form that sets that URL. Read again
 * every half minute while shown: the heartbeat goes out once a minute. The URL is a form on
 * useDraftForm, checked by the shared schema before it is sent.
 */
import { useCallback, useEffect, useState } from 'react';
import type { MonitoringStatus } from '../../../../shared/checks';
import { HeartbeatSettingsDraft, type HeartbeatStatus } from '../../../../shared/heartbeat';
import type { FieldIssue } from '../../../../shared/errors';
import { TextField } from '../../components/fields';
import { schemaIssues } from '../../components/form-issues';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectApi } from '../../store/selectors';
import { ago } from '../health/health-model';

const REFRESH_MS = 30_000;

/** One line about the last sweep: from this process's scheduler, else as the heartbeat last recorded it. */
function sweepLine(monitoring: MonitoringStatus | null, heartbeat: HeartbeatStatus | null, now: number): string {
  const recorded = heartbeat?.lastSweep;
  if (recorded && !recorded.ok) return `Last sweep ${ago(recorded.at, now)} failed: ${recorded.detail}`;
  if (monitoring?.lastSweep)
    return `Last sweep ${ago(monitoring.lastSweep.at, now)} (${monitoring.lastSweep.checks} checks on ${monitoring.lastSweep.hosts} hosts)`;
  if (recorded) return `Last sweep ${ago(recorded.at, now)}`;
  return 'No sweep has run yet';
}

/** One line about the heartbeat: not set, last accepted, or refused. */
function heartbeatLine(heartbeat: HeartbeatStatus | null, now: number): { text: string; alarm: boolean } {
  if (!heartbeat?.target)
    return { text: 'No heartbeat URL: nothing outside this watcher will notice if it stops.', alarm: false };
  const accepted = heartbeat.lastAcceptedAt
    ? `last accepted ${ago(heartbeat.lastAcceptedAt, now)}`
    : 'never accepted yet';
  const ping = heartbeat.lastPing;
  if (ping && !ping.accepted)
    return {
      text: `Heartbeat to ${heartbeat.target}: ${accepted}; the last ping (${ago(ping.at, now)}) was refused: ${ping.detail}`,
      alarm: true,
    };
  const kind = ping?.kind === 'fail' ? ' (reported a failed sweep)' : '';
  return {
    text: `Heartbeat to ${heartbeat.target} every ${heartbeat.intervalSeconds} s: ${accepted}${kind}`,
    alarm: ping?.kind === 'fail',
  };
}

/** The watcher panel's lines and heartbeat form. */
export function WatcherStatus({ monitoring }: { monitoring: MonitoringStatus | null }) {
  const api = useApp(selectApi);
  const [heartbeat, setHeartbeat] = useState<HeartbeatStatus | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [stopError, setStopError] = useState<string | null>(null);
  // Until the first read answers, nothing is claimed about sweeps or pings: "none yet" would be a guess.
  const [readError, setReadError] = useState<string | null>(null);
  const validate = useCallback(
    (fields: { url: string }): FieldIssue[] =>
      fields.url.trim()
        ? schemaIssues(HeartbeatSettingsDraft, { url: fields.url.trim() })
        : [{ path: ['url'], message: 'type the URL' }],
    [],
  );
  const form = useDraftForm({
    id: 'heartbeat',
    initial: { url: '' },
    validate,
    save: async ({ url }) => {
      setHeartbeat(await api.call('heartbeat.set', { url: url.trim() }));
      setStopError(null);
      form.reset({ url: '' });
    },
  });

  useEffect(() => {
    let live = true;
    const load = () =>
      api.call('heartbeat.status', {}).then(
        (status) => live && (setHeartbeat(status), setNow(Date.now()), setReadError(null)),
        (error: Error) => live && setReadError(error.message),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);

  // Stopping is an action on what is set, not this form's value.
  const stop = () =>
    api.call('heartbeat.set', { url: null }).then(
      (status) => (setHeartbeat(status), setStopError(null)),
      (error: Error) => setStopError(error.message),
    );

  const beat: { text: string; alarm: boolean } = heartbeat
    ? heartbeatLine(heartbeat, now)
    : readError
      ? { text: `Could not read the watcher's status: ${readError}`, alarm: true }
      : { text: "Reading the watcher's status…", alarm: false };
  return (
    <div className="watcher-status" data-testid="watcher-status">
      <ul className="live-facts">
        <li data-testid="watcher-last-sweep">
          {heartbeat || monitoring?.lastSweep ? sweepLine(monitoring, heartbeat, now) : 'Last sweep: not known yet'}
        </li>
        <li data-testid="watcher-heartbeat" className={beat.alarm ? 'live-alarm' : undefined}>
          {beat.text}
        </li>
      </ul>
      <form onSubmit={form.submit} noValidate className="watcher-heartbeat-form">
        <TextField
          {...form.bind('url')}
          errors={[
            ...form.bind('url').errors,
            ...(form.formError ? [form.formError] : []),
            ...(stopError ? [stopError] : []),
          ]}
          label={heartbeat?.target ? 'New heartbeat URL' : 'Heartbeat URL'}
          hint="A check URL of healthchecks.io or alike: pinged every minute while monitoring runs; failures go to the URL with /fail added."
          placeholder="https://hc-ping.com/…"
          monospace
        />
        <button type="submit" className="button button-primary" disabled={!form.values.url.trim() || form.submitting}>
          Save heartbeat URL
        </button>
        {heartbeat?.target && (
          <button type="button" className="button button-quiet" onClick={() => void stop()}>
            Stop the heartbeat
          </button>
        )}
      </form>
    </div>
  );
}
