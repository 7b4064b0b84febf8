/** Handlers for health checks, monitoring and alerts (the work is in electron/checks/operations.ts). */
import type { checkMethods } from '../../shared/contract/checks';
import type { HandlersFor } from './handler-types';
import type { CheckToSave } from '../db/repositories/checks';
import {
  readAlertSettings,
  removeCheck,
  generateDefaultChecks,
  readCheckHistory,
  listCheckViews,
  readMonitoringStatus,
  listRecentAlerts,
  runChecksNow,
  updateAlertSettings,
  storeCheck,
  setMonitoring,
} from '../checks/operations';

/** One handler per checks, monitoring and alerts method. */
export const checkHandlers: HandlersFor<keyof typeof checkMethods> = {
  'checks.list': (ctx, input) => listCheckViews(ctx, input),
  'checks.save': (ctx, input) => storeCheck(ctx, input as CheckToSave),
  'checks.delete': (ctx, { id }) => removeCheck(ctx, id),
  'checks.generateDefaults': (ctx, { groupId }) => generateDefaultChecks(ctx, groupId),
  'checks.runNow': (ctx, input) => runChecksNow(ctx, input),
  'checks.history': (ctx, { checkId, limit }) => readCheckHistory(ctx, checkId, limit),
  'monitoring.status': (ctx) => readMonitoringStatus(ctx),
  'monitoring.set': (ctx, { enabled }) => setMonitoring(ctx, enabled),
  'alerts.settings.get': (ctx) => readAlertSettings(ctx),
  'alerts.settings.save': (ctx, input) => updateAlertSettings(ctx, input),
  'alerts.recent': (ctx, { limit }) => listRecentAlerts(ctx, limit),
};
