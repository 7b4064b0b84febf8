/** Contract entries for the workspace and its inventory. */
import { z } from 'zod';
import { method, Empty, ById, Deleted } from './define';
import {
  Contact,
  ContactDraft,
  Server,
  ServerDraft,
  Service,
  ServiceDraft,
  ServiceGroup,
  ServiceGroupDraft,
  Settings,
  Site,
  SiteDraft,
  Snapshot,
} from '../domain';

export const ImportSummary = z.object({
  sites: z.int(),
  servers: z.int(),
  services: z.int(),
  groups: z.int(),
  contacts: z.int(),
  /** What the import removed with entities no longer in the plan (checks, runbooks), one sentence each. */
  dropped: z.array(z.string()).default([]),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const WORKSPACE_TEMPLATES = ['empty', 'example'] as const;

export const workspaceMethods = {
  'workspace.snapshot': method({
    input: Empty,
    output: Snapshot,
    summary: 'Everything in the workspace',
    mutates: false,
  }),
  'workspace.info': method({
    input: Empty,
    output: z.object({ path: z.string(), schemaVersion: z.int(), initialised: z.boolean(), appVersion: z.string() }),
    summary: 'Where the workspace file is and whether it has been set up',
    mutates: false,
  }),
  'workspace.create': method({
    input: z.object({ template: z.enum(WORKSPACE_TEMPLATES), companyName: z.string().max(120).optional() }).strict(),
    output: Snapshot,
    summary: 'Start an empty workspace or load the example company (replaces the current content)',
    mutates: true,
  }),
  'workspace.exportPlan': method({
    input: Empty,
    output: z.object({ yaml: z.string() }),
    summary: 'The whole workspace as a plan file (YAML)',
    mutates: false,
  }),
  'workspace.importPlan': method({
    input: z.object({ yaml: z.string().max(10 * 1024 * 1024, 'plan files are 10 MiB at most') }).strict(),
    output: ImportSummary,
    summary: 'Replace the workspace with a plan file (all or nothing)',
    mutates: true,
  }),
  'settings.save': method({
    input: Settings.strict(),
    output: Settings,
    summary: 'Company name and targets',
    mutates: true,
  }),

  'sites.save': method({ input: SiteDraft.strict(), output: Site, summary: 'Add or update a site', mutates: true }),
  'sites.delete': method({ input: ById, output: Deleted, summary: 'Delete a site', mutates: true }),
  'servers.save': method({
    input: ServerDraft.strict(),
    output: Server,
    summary: 'Add or update a server',
    mutates: true,
  }),
  'servers.delete': method({ input: ById, output: Deleted, summary: 'Delete a server', mutates: true }),
  'services.save': method({
    input: ServiceDraft.strict(),
    output: Service,
    summary: 'Add or update a service',
    mutates: true,
  }),
  'services.delete': method({ input: ById, output: Deleted, summary: 'Delete a service', mutates: true }),
  'groups.save': method({
    input: ServiceGroupDraft.strict(),
    output: ServiceGroup,
    summary: 'Add or update a service group',
    mutates: true,
  }),
  'groups.delete': method({ input: ById, output: Deleted, summary: 'Delete a service group', mutates: true }),
  'contacts.save': method({
    input: ContactDraft.strict(),
    output: Contact,
    summary: 'Add or update a contact',
    mutates: true,
  }),
  'contacts.delete': method({ input: ById, output: Deleted, summary: 'Delete a contact', mutates: true }),
} as const;
