/** The workspace as a whole: snapshot, first-run templates, and the plan file round trip. */
import type { ServiceContext } from '../ports/context';
import type { Snapshot } from '../../shared/domain';
import {
  parsePlanYaml,
  planToYaml,
  snapshotToPlan,
  PlanDocument,
  type PlanDocumentInput,
} from '../../shared/plan-file';
import { exampleCompany } from '../../shared/example-company';
import { listSites } from '../db/repositories/sites';
import { listServers } from '../db/repositories/servers';
import { listContacts } from '../db/repositories/contacts';
import { listGroups } from '../db/repositories/groups';
import { listServices } from '../db/repositories/services';
import { getFlag, getSettings } from '../db/repositories/settings';
import { schemaVersion } from '../db/migrate';
import { replaceWorkspace } from './plan-import';
import type { ImportSummary } from '../../shared/contract/index';

export function snapshot({ db }: ServiceContext): Snapshot {
  return db.transaction(() => ({
    settings: getSettings(db),
    sites: listSites(db),
    servers: listServers(db),
    services: listServices(db),
    groups: listGroups(db),
    contacts: listContacts(db),
  }))();
}

export function info(ctx: ServiceContext) {
  return {
    path: ctx.dbPath,
    schemaVersion: schemaVersion(ctx.db),
    initialised: getFlag(ctx.db, '_initialised') === true,
    appVersion: ctx.appVersion,
  };
}

export function exportPlan(ctx: ServiceContext): { yaml: string } {
  return { yaml: planToYaml(snapshotToPlan(snapshot(ctx))) };
}

export function importPlan(ctx: ServiceContext, yaml: string): ImportSummary {
  return replaceWorkspace(ctx, parsePlanYaml(yaml));
}

export function createWorkspace(ctx: ServiceContext, template: 'empty' | 'example', companyName?: string): Snapshot {
  const plan: PlanDocumentInput = template === 'example' ? exampleCompany() : { lifeboat: 1 };
  const parsed = PlanDocument.parse(plan);
  if (companyName !== undefined && companyName.trim() !== '') parsed.company.companyName = companyName.trim();
  replaceWorkspace(ctx, parsed);
  return snapshot(ctx);
}
