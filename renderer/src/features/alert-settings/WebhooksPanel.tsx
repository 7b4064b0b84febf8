/** Webhook channels: Slack, Teams, ntfy or generic JSON; their URLs are kept by the host and shown only by origin. */
import { useState } from 'react';
import {
  WEBHOOK_FORMATS,
  WEBHOOK_FORMAT_LABEL,
  type WebhookChannel,
  type WebhookFormat,
} from '../../../../shared/alerting';
import { CheckboxField, SelectField, TextField } from '../../components/fields';
import { useApp } from '../../store/store-context';
import { selectCall, selectNotify } from '../../store/selectors';
import { useTestReporter } from './AlertChannelsForm';

/** The list of webhook channels, with a test, on/off and delete for each, and a form to add one. */
export function WebhooksPanel({ webhooks }: { webhooks: readonly WebhookChannel[] }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const report = useTestReporter();
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState('');
  const [format, setFormat] = useState<WebhookFormat>('slack');
  const [url, setUrl] = useState('');
  const [everyAlert, setEveryAlert] = useState(true);
  const act = async (what: string, action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      notify('error', `${what} failed: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const add = () =>
    act('Adding the channel', async () => {
      await call('alerts.webhooks.save', { name, format, url, everyAlert });
      setName('');
      setUrl('');
      notify('success', `Added the ${WEBHOOK_FORMAT_LABEL[format]} channel ${name}.`);
    });
  const toggle = (channel: WebhookChannel) =>
    act('Saving the channel', async () => {
      const { target: _target, ...rest } = channel;
      await call('alerts.webhooks.save', { ...rest, enabled: !channel.enabled });
    });
  return (
    <section className="panel" aria-labelledby="alert-webhooks-title" data-testid="alert-webhooks">
      <h2 id="alert-webhooks-title" className="panel-title">
        Chat and push channels
      </h2>
      {webhooks.length === 0 ? (
        <p className="muted">No channel yet.</p>
      ) : (
        <table className="table alert-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Format</th>
              <th scope="col">Sends to</th>
              <th scope="col">Gets</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((channel) => (
              <tr key={channel.id}>
                <td>
                  {channel.name}
                  {!channel.enabled && <span className="muted"> (off)</span>}
                </td>
                <td>{WEBHOOK_FORMAT_LABEL[channel.format]}</td>
                <td className="mono">{channel.target}</td>
                <td>{channel.everyAlert ? 'every alert' : 'escalation only'}</td>
                <td className="alert-row-actions">
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy}
                    onClick={() =>
                      void act('The test', async () => report(await call('alerts.test', { channel: channel.id })))
                    }
                  >
                    Send a test
                  </button>
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy}
                    onClick={() => void toggle(channel)}
                  >
                    {channel.enabled ? 'Turn off' : 'Turn on'}
                  </button>
                  <button
                    type="button"
                    className="button button-small"
                    disabled={busy}
                    onClick={() =>
                      void act('Deleting the channel', async () => {
                        await call('alerts.webhooks.delete', { id: channel.id });
                      })
                    }
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="alert-subtitle">Add a channel</h3>
      <div className="form-grid">
        <TextField id="webhook-name" label="Name" value={name} onChange={setName} placeholder="Ops room" />
        <SelectField
          id="webhook-format"
          label="Format"
          value={format}
          onChange={(value) => setFormat(value as WebhookFormat)}
          options={WEBHOOK_FORMATS.map((value) => ({ value, label: WEBHOOK_FORMAT_LABEL[value] }))}
        />
        <TextField
          id="webhook-url"
          label="URL"
          value={url}
          onChange={setUrl}
          monospace
          hint={
            format === 'ntfy'
              ? 'The topic URL, e.g. https://ntfy.sh/northwind-alerts'
              : 'Kept by Lifeboat and never shown again (it often carries a token)'
          }
        />
        <CheckboxField
          id="webhook-every"
          label="Every alert goes here"
          checked={everyAlert}
          onChange={setEveryAlert}
          hint="Off: only the contacts routed to it below hear through it"
        />
      </div>
      <div className="alert-actions">
        <button type="button" className="button" disabled={busy || !name || !url} onClick={() => void add()}>
          Add channel
        </button>
      </div>
    </section>
  );
}
