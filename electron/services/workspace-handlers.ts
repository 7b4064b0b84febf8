/** Handlers for the workspace and inventory methods. */
import type { workspaceMethods } from '../../shared/contract/workspace';
import type { HandlersFor } from './handler-types';
import { createWorkspace, exportPlan, importPlan, info, snapshot } from './workspace';
import { saveSettings } from '../db/repositories/settings';
import {
  deleteServerService,
  deleteServiceService,
  deleteSimple,
  saveContactService,
  saveGroupService,
  saveServerService,
  saveServiceService,
  saveSiteService,
} from './inventory';

export const workspaceHandlers: HandlersFor<keyof typeof workspaceMethods> = {
  'workspace.snapshot': (ctx) => snapshot(ctx),
  'workspace.info': (ctx) => info(ctx),
  'workspace.create': (ctx, input) => createWorkspace(ctx, input.template, input.companyName),
  'workspace.exportPlan': (ctx) => exportPlan(ctx),
  'workspace.importPlan': (ctx, input) => importPlan(ctx, input.yaml),
  'settings.save': (ctx, input) => ctx.db.transaction(() => saveSettings(ctx.db, input))(),
  'sites.save': saveSiteService,
  'sites.delete': (ctx, { id }) => deleteSimple(ctx, 'sites', id, 'site'),
  'servers.save': saveServerService,
  'servers.delete': (ctx, { id }) => deleteServerService(ctx, id),
  'services.save': saveServiceService,
  'services.delete': (ctx, { id }) => deleteServiceService(ctx, id),
  'groups.save': saveGroupService,
  'groups.delete': (ctx, { id }) => deleteSimple(ctx, 'service_groups', id, 'service group'),
  'contacts.save': saveContactService,
  'contacts.delete': (ctx, { id }) => deleteSimple(ctx, 'contacts', id, 'contact'),
};
