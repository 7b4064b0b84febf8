/**
 * The message each webhook format expects, built from an alert:
 * - generic: Lifeboat's own JSON (`{source: "lifeboat", ...alert}`);
 * - slack: an incoming webhook's `{text, blocks}` (Block Kit: a header, the body as mrkdwn, a context line);
 * - teams: a message carrying one Adaptive Card (`{type: "message", attachments: [{contentType:
 *   "application/vnd.microsoft.card.adaptive", content: {type: "AdaptiveCard", ...}}]}`), as Teams
 *   workflows ("Post to a channel when a webhook request is received") take it;
 * - ntfy: a JSON publish (`{topic, message, title, priority, tags}`) POSTed to the server's root,
 *   the topic being the last segment of the URL given.
 * Pure: the request is sent by channels.ts.
 */
import type { Alert } from '../../shared/checks';
import type { WebhookFormat } from '../../shared/alerting';

/** What to send: where, and the JSON body. */
export interface WebhookRequest {
  url: string;
  body: unknown;
}

const RECOVERY = new Set<Alert['kind']>(['recovered', 'host-recovered']);

/** Slack's mrkdwn treats &, < and > as markup: escape them so alert text stays text. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const when = (alert: Alert) => new Date(alert.at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

function contextLine(alert: Alert): string {
  const parts = [when(alert), alert.kind];
  if (alert.service) parts.push(`${alert.service.name} (${alert.service.tier}, RTO ${alert.service.rtoMinutes} min)`);
  if (alert.incidentId !== null) parts.push(`alert #${alert.incidentId}: lifeboat alerts ack ${alert.incidentId}`);
  return parts.join(' · ');
}

function slack(alert: Alert): unknown {
  return {
    text: `${alert.title}\n${alert.body}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: alert.title.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: slackEscape(alert.body).slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: slackEscape(contextLine(alert)) }] },
    ],
  };
}

function teams(alert: Alert): unknown {
  const facts = [
    { title: 'When', value: when(alert) },
    { title: 'Kind', value: alert.kind },
    ...(alert.service ? [{ title: 'Service', value: `${alert.service.name} (${alert.service.tier})` }] : []),
    ...(alert.takesDown.length ? [{ title: 'Takes down', value: alert.takesDown.join(', ') }] : []),
    ...(alert.incidentId !== null ? [{ title: 'Acknowledge', value: `lifeboat alerts ack ${alert.incidentId}` }] : []),
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: alert.title,
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
              color: RECOVERY.has(alert.kind) ? 'Good' : alert.kind === 'test' ? 'Default' : 'Attention',
            },
            { type: 'TextBlock', text: alert.body, wrap: true },
            { type: 'FactSet', facts },
          ],
        },
      },
    ],
  };
}

/** ntfy priorities: 5 urgent (a critical service down) … 3 default (recoveries, tests). */
export function ntfyPriority(alert: Alert): number {
  if (RECOVERY.has(alert.kind) || alert.kind === 'test') return 3;
  const tier = alert.service?.tier;
  return tier === 'critical' || alert.kind === 'host-key-changed' ? 5 : tier === 'important' ? 4 : 3;
}

function ntfy(url: string, alert: Alert): WebhookRequest {
  const parsed = new URL(url);
  const segments = parsed.pathname.split('/').filter(Boolean);
  const topic = segments.pop() ?? '';
  parsed.pathname = `/${segments.join('/')}`;
  const tags = RECOVERY.has(alert.kind)
    ? ['white_check_mark', 'lifeboat']
    : alert.kind === 'test'
      ? ['test_tube', 'lifeboat']
      : ['rotating_light', 'lifeboat'];
  return {
    url: parsed.toString(),
    body: {
      topic,
      title: alert.title,
      message: `${alert.body}\n${contextLine(alert)}`,
      priority: ntfyPriority(alert),
      tags,
    },
  };
}

/** The request a channel of this format sends for an alert. */
export function webhookRequest(format: WebhookFormat, url: string, alert: Alert): WebhookRequest {
  switch (format) {
    case 'slack':
      return { url, body: slack(alert) };
    case 'teams':
      return { url, body: teams(alert) };
    case 'ntfy':
      return ntfy(url, alert);
    case 'generic':
      return { url, body: { source: 'lifeboat', ...alert } };
  }
}

/** An ntfy URL must name a topic (its last path segment). */
export function ntfyTopicProblem(url: string): string | null {
  try {
    const segments = new URL(url).pathname.split('/').filter(Boolean);
    const topic = segments[segments.length - 1] ?? '';
    return /^[-_A-Za-z0-9]{1,64}$/.test(topic)
      ? null
      : 'an ntfy URL ends with the topic, e.g. https://ntfy.sh/our-alerts';
  } catch {
    return 'not a URL';
  }
}
