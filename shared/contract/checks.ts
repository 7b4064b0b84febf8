/** Contract entries for health checks, monitoring and alerts. */
import { z } from 'zod';
import { method, ById, Deleted, Empty } from './define';
import { Id } from '../domain';
import {
  Alert,
  AlertSettings,
  AlertSettingsDraft,
  Check,
  CheckDraft,
  CheckKind,
  CheckResult,
  CheckView,
  MonitoringStatus,
} from '../checks';

const GroupFilter = z.object({ groupId: Id.optional() }).strict();

/** A result with the name of its check, as `checks.runNow` and the CLI report it. */
export const NamedResult = CheckResult.extend({
  name: z.string(),
  kind: CheckKind,
  /** The servers this check could not reach in this run (nothing was exchanged with them). */
  unreachable: z.array(z.string()),
});
export type NamedResult = z.infer<typeof NamedResult>;

/** The checks, monitoring and alerts methods. */
export const checkMethods = {
  'checks.list': method({
    input: GroupFilter,
    output: z.array(CheckView),
    summary: 'Every health check with its latest result (optionally of one service group)',
    mutates: false,
  }),
  'checks.save': method({ input: CheckDraft, output: Check, summary: 'Add or update a health check', mutates: true }),
  'checks.delete': method({
    input: ById,
    output: Deleted,
    summary: 'Delete a health check and its history',
    mutates: true,
  }),
  'checks.generateDefaults': method({
    input: GroupFilter,
    output: z.object({ created: z.array(Check), existing: z.int() }),
    summary: 'Add the checks each service group implies (VIP, PostgreSQL, rsync, members, processes)',
    mutates: true,
  }),
  'checks.runNow': method({
    input: z.object({ groupId: Id.optional(), checkIds: z.array(Id).max(1000).optional() }).strict(),
    output: z.array(NamedResult),
    summary: 'Run the enabled checks once now (optionally of one group) and record the results',
    mutates: false,
  }),
  'checks.history': method({
    input: z.object({ checkId: Id, limit: z.int().min(1).max(5000).default(200) }).strict(),
    output: z.array(CheckResult),
    summary: 'Recorded results of one check, newest first',
    mutates: false,
  }),
  'monitoring.status': method({
    input: Empty,
    output: MonitoringStatus,
    summary: 'Whether monitoring is on and the last sweep',
    mutates: false,
  }),
  'monitoring.set': method({
    input: z.object({ enabled: z.boolean() }).strict(),
    output: MonitoringStatus,
    summary: 'Turn background monitoring of this workspace on or off (off by default)',
    mutates: true,
  }),
  'alerts.settings.get': method({
    input: Empty,
    output: AlertSettings,
    summary: 'Where alerts go: desktop, email, webhook',
    mutates: false,
  }),
  'alerts.settings.save': method({
    input: AlertSettingsDraft,
    output: AlertSettings,
    summary: 'Change where alerts go',
    mutates: true,
  }),
  'alerts.recent': method({
    input: z.object({ limit: z.int().min(1).max(500).default(50) }).strict(),
    output: z.array(Alert),
    summary: 'The alerts raised most recently, newest first',
    mutates: false,
  }),
} as const;

/** Events of this area: a result as each check completes, and each alert as it is raised. */
export const checkEvents = {
  'checks.result': CheckResult,
  'alerts.raised': Alert,
} as const;
