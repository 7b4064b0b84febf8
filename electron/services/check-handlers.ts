/** Handlers for health checks, monitoring and alerts (the work is in electron/checks/operations.ts). */
import type { checkMethods } from '../../shared/contract/checks';
import type { HandlersFor } from './handler-types';
import type { CheckToSave } from '../db/repositories/checks';
import {
  alertSettingsService,
  deleteCheckService,
  generateDefaultsService,
  historyService,
  listCheckViews,
  monitoringStatusService,
  recentAlertsService,
  runNowService,
  saveAlertSettingsService,
  saveCheckService,
  setMonitoringService,
  testAlertsService,
} from '../checks/operations';

/** One handler per checks, monitoring and alerts method. */
export const checkHandlers: HandlersFor<keyof typeof checkMethods> = {
  'checks.list': (ctx, input) => listCheckViews(ctx, input),
  'checks.save': (ctx, input) => saveCheckService(ctx, input as CheckToSave),
  'checks.delete': (ctx, { id }) => deleteCheckService(ctx, id),
  'checks.generateDefaults': (ctx, { groupId }) => generateDefaultsService(ctx, groupId),
  'checks.runNow': (ctx, input) => runNowService(ctx, input),
  'checks.history': (ctx, { checkId, limit }) => historyService(ctx, checkId, limit),
  'monitoring.status': (ctx) => monitoringStatusService(ctx),
  'monitoring.set': (ctx, { enabled }) => setMonitoringService(ctx, enabled),
  'alerts.settings.get': (ctx) => alertSettingsService(ctx),
  'alerts.settings.save': (ctx, input) => saveAlertSettingsService(ctx, input),
  'alerts.test': (ctx) => testAlertsService(ctx),
  'alerts.recent': (ctx, { limit }) => recentAlertsService(ctx, limit),
};
