/** Handlers for the workspace and inventory methods. */
import type { workspaceMethods } from '../../shared/contract/workspace';
import type { HandlersFor } from './handler-types';
import { createWorkspace, exportPlan, importPlan, info, snapshot } from './workspace';
import { saveSettings } from '../db/repositories/settings';
import {
  removeServer,
  removeService,
  removeEntity,
  storeContact,
  storeGroup,
  storeServer,
  storeService,
  storeSite,
} from './inventory';

export const workspaceHandlers: HandlersFor<keyof typeof workspaceMethods> = {
  'workspace.snapshot': (ctx) => snapshot(ctx),
  'workspace.info': (ctx) => info(ctx),
  'workspace.create': (ctx, input) => createWorkspace(ctx, input.template, input.companyName),
  'workspace.exportPlan': (ctx) => exportPlan(ctx),
  'workspace.importPlan': (ctx, input) => importPlan(ctx, input.yaml),
  'settings.save': (ctx, input) => ctx.db.transaction(() => saveSettings(ctx.db, input))(),
  'sites.save': storeSite,
  'sites.delete': (ctx, { id }) => removeEntity(ctx, 'sites', id, 'site'),
  'servers.save': storeServer,
  'servers.delete': (ctx, { id }) => removeServer(ctx, id),
  'services.save': storeService,
  'services.delete': (ctx, { id }) => removeService(ctx, id),
  'groups.save': storeGroup,
  'groups.delete': (ctx, { id }) => removeEntity(ctx, 'service_groups', id, 'service group'),
  'contacts.save': storeContact,
  'contacts.delete': (ctx, { id }) => removeEntity(ctx, 'contacts', id, 'contact'),
};
