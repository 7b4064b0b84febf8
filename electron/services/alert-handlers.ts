/** Handlers for alerting: incidents, channels, routes, maintenance (the work is in electron/checks/alert-operations.ts). */
import type { alertMethods } from '../../shared/contract/alerts';
import type { HandlersFor } from './handler-types';
import {
  acknowledgeAlert,
  clearSmtpPassword,
  removeWebhook,
  endMaintenance,
  listAlerts,
  listMaintenance,
  planMaintenance,
  readAlertRoutes,
  storeAlertRoutes,
  storeWebhook,
  storeSmtpPassword,
  silenceGroup,
  sendTestAlert,
} from '../checks/alert-operations';

/** One handler per alerting method. */
export const alertHandlers: HandlersFor<keyof typeof alertMethods> = {
  'alerts.test': (ctx, { channel }) => sendTestAlert(ctx, channel),
  'alerts.list': (ctx, input) => listAlerts(ctx, input),
  'alerts.ack': (ctx, input) => acknowledgeAlert(ctx, input),
  'alerts.webhooks.save': (ctx, input) => storeWebhook(ctx, input),
  'alerts.webhooks.delete': (ctx, { id }) => removeWebhook(ctx, id),
  'alerts.routes.get': (ctx) => readAlertRoutes(ctx),
  'alerts.routes.save': (ctx, { routes }) => storeAlertRoutes(ctx, routes),
  'alerts.smtpPassword.set': (ctx, { password }) => storeSmtpPassword(ctx, password),
  'alerts.smtpPassword.clear': (ctx) => clearSmtpPassword(ctx),
  'maintenance.list': (ctx) => listMaintenance(ctx),
  'maintenance.plan': (ctx, input) => planMaintenance(ctx, input),
  'maintenance.silence': (ctx, input) => silenceGroup(ctx, input),
  'maintenance.end': (ctx, { id }) => endMaintenance(ctx, id),
};
