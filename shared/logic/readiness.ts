/**
 * Readiness: for each service and overall, a score from 0 to 100 and the reasons it is short of
 * 100, each reason a thing the admin can fix, plus a "what to do next" list ordered by business
 * impact (tier, then cost of downtime per hour).
 *
 * Evidence beyond the inventory (runbooks, drills, health checks) comes from parts of Lifeboat that
 * may not be set up yet. The rule: an absent source (undefined) is not evidence of readiness, so it
 * costs what the missing thing would ("runbooks not set up yet" costs what "no runbook" costs), and
 * the reason says the source is missing instead of inventing a finding. An empty list means the
 * source exists and holds nothing for that group ("no runbook").
 */
import type { Contact, Server, Service, ServiceGroup, Snapshot } from '../domain';
import { TIER_RANK, formatMinutes, type MeasuredMinutes } from './recovery-order';
import {
  PENALTY,
  SOURCE_CODES,
  TIER_WEIGHT,
  DEFAULT_DRILL_MAX_AGE_DAYS,
  type DrillFacts,
  type NextAction,
  type Readiness,
  type ReadinessCode,
  type ReadinessEvidence,
  type ReadinessReason,
  type ServiceReadiness,
} from './readiness-model';

export * from './readiness-model';
export * from './single-points';
import { singlePointsOfFailure, type SinglePointOfFailure } from './single-points';
import { backupReasons } from './readiness-backups';

type Inventory = Pick<Snapshot, 'services' | 'groups' | 'servers' | 'contacts'>;

/** Score every service, the workspace overall, and list what to do next. */
export function assessReadiness(snapshot: Inventory, evidence: ReadinessEvidence = {}): Readiness {
  const sources = {
    runbooks: evidence.runbooks !== undefined,
    drills: evidence.drills !== undefined,
    health: evidence.health !== undefined,
  };
  const context = new Context(snapshot, evidence);
  const services = snapshot.services.map((service) => {
    const reasons = context.reasonsFor(service);
    const score = Math.max(0, 100 - reasons.reduce((sum, r) => sum + r.penalty, 0));
    return {
      serviceId: service.id,
      name: service.name,
      tier: service.tier,
      costPerHour: service.costPerHour,
      score,
      reasons,
    };
  });
  if (services.length === 0) {
    const empty: NextAction = {
      code: 'no_services',
      text: 'No business services are classified yet',
      fix: 'Add the services the business runs, with their tier, RTO and RPO, and the servers they run on',
      services: [],
      tier: 'critical',
      costPerHour: 0,
      points: 100,
    };
    return { score: 0, services, next: [empty], sources };
  }
  const weight = services.reduce((sum, s) => sum + TIER_WEIGHT[s.tier], 0);
  const score = Math.round(services.reduce((sum, s) => sum + s.score * TIER_WEIGHT[s.tier], 0) / weight);
  return { score, services, next: nextActions(services), sources };
}

/** Minutes of the last successful drill of each group, as the recovery order takes them. */
export function drillMinutesByGroup(drills: readonly DrillFacts[] = []): MeasuredMinutes {
  const groups: Record<number, number> = {};
  for (const drill of lastGoodDrills(drills).values()) groups[drill.groupId] = drill.minutes;
  return { groups };
}

function lastGoodDrills(drills: readonly DrillFacts[]): Map<number, DrillFacts> {
  const last = new Map<number, DrillFacts>();
  for (const drill of drills) {
    if (!drill.succeeded) continue;
    const seen = last.get(drill.groupId);
    if (!seen || Date.parse(drill.finishedAt) > Date.parse(seen.finishedAt)) last.set(drill.groupId, drill);
  }
  return last;
}

class Context {
  private readonly groups: Map<number, ServiceGroup>;
  private readonly servers: Map<number, Server>;
  private readonly contacts: Map<number, Contact>;
  private readonly lastDrill: Map<number, DrillFacts>;
  private readonly spof: Map<number, SinglePointOfFailure>;

  constructor(
    snapshot: Inventory,
    private readonly evidence: ReadinessEvidence,
  ) {
    this.groups = new Map(snapshot.groups.map((g) => [g.id, g]));
    this.servers = new Map(snapshot.servers.map((s) => [s.id, s]));
    this.contacts = new Map(snapshot.contacts.map((c) => [c.id, c]));
    this.lastDrill = lastGoodDrills(evidence.drills ?? []);
    this.spof = new Map(singlePointsOfFailure(snapshot).map((s) => [s.serviceId, s]));
  }

  reasonsFor(service: Service): ReadinessReason[] {
    const reasons: ReadinessReason[] = [];
    const add = (code: ReadinessCode, text: string, fix: string, groupId: number | null = null) =>
      reasons.push({ code, text, fix, penalty: PENALTY[code], groupId });
    const group = service.groupId === null ? undefined : this.groups.get(service.groupId);
    const hosted = service.hostedBy.trim() !== '';

    if (!hosted && !group) {
      add(
        'no_standby',
        'Runs on no service group, so nothing can fail over',
        `Put "${service.name}" in a service group with a standby server, or record its provider under "hosted by"`,
      );
    }
    if (!hosted && group) this.groupReasons(service, group, add);
    this.contactReasons(service, add);
    backupReasons(service, this.evidence, add);
    if (service.tier === 'critical' && service.workaround.trim() === '') {
      add(
        'no_workaround',
        'Critical, and no manual workaround is written down for staff',
        `Write down how staff keep working while "${service.name}" is down (paper forms, a fallback number)`,
      );
    }
    const chain = this.spof.get(service.id)?.causes.filter((c) => c.serviceId !== service.id) ?? [];
    if (chain.length > 0) {
      const names = [...new Set(chain.map((c) => c.serviceName))].join(', ');
      add(
        'dependency_single_point',
        `Depends on ${names}, which has no standby`,
        `Give ${names} a standby, or plan the workaround for when it is down`,
      );
    }
    return reasons;
  }

  private groupReasons(
    service: Service,
    group: ServiceGroup,
    add: (code: ReadinessCode, text: string, fix: string, groupId?: number | null) => void,
  ) {
    const g = group.id;
    const hasStandby = group.members.some((m) => m.role === 'standby');
    if (!hasStandby)
      add(
        'no_standby',
        `Group "${group.name}" has no standby server`,
        `Add a standby member to group "${group.name}", or keep the vendor's repair contract and the workaround ready`,
        g,
      );
    if (hasStandby && group.vips.length === 0) {
      add(
        'no_vip',
        `Group "${group.name}" has no virtual IP, so clients would need reconfiguring after a failover`,
        `Give group "${group.name}" a virtual IP that moves with it`,
        g,
      );
    }
    const state = this.evidence.redundancy?.find((r) => r.groupId === g);
    if (hasStandby && state && !state.redundant)
      add(
        'no_redundancy',
        `Group "${group.name}" is running without redundancy on ${state.primary}: ${state.detail}`,
        `Re-protect group "${group.name}" (Failover screen, or lifeboat reprotect ${group.name}), then switch back when convenient`,
        g,
      );
    // Without a standby there is nothing to write a failover runbook for or to drill: "no standby" says it.
    if (hasStandby) {
      this.runbookReasons(group, add);
      this.drillReasons(service, group, add);
    }
    this.healthReasons(service, group, add);
    const tested = this.evidence.testRecoveries?.find((t) => t.groupId === group.id);
    if (tested && !tested.passed)
      add(
        'test_recovery_broken',
        `Group "${group.name}" is broken: ${tested.reason ?? 'its test recovery failed'} (test recovery of ${new Date(tested.at).toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
        'Repair what the test recovery names, then run it again (Drills screen, or lifeboat recover --test)',
        group.id,
      );
    for (const member of group.members) {
      const server = this.servers.get(member.serverId);
      if (server && server.support.vendor.trim() !== '' && server.support.phone.trim() === '') {
        add(
          'no_vendor_phone',
          `Server "${server.name}" has a support contract with ${server.support.vendor} but no phone number`,
          `Record the support phone of ${server.support.vendor} on server "${server.name}"`,
          g,
        );
      }
    }
  }

  private runbookReasons(
    group: ServiceGroup,
    add: (code: ReadinessCode, text: string, fix: string, groupId?: number | null) => void,
  ) {
    const { runbooks } = this.evidence;
    if (runbooks === undefined) {
      add(
        'runbooks_not_set_up',
        'Runbooks are not set up yet; the plan carries a generated outline only',
        'Write and check a runbook for each group once runbooks are available',
        group.id,
      );
    } else if (!runbooks.some((r) => r.groupId === group.id && r.steps > 0)) {
      add(
        'no_runbook',
        `Group "${group.name}" has no saved runbook: a failover would run the default generated from its definition, which nobody has reviewed`,
        `Review the runbook of group "${group.name}" (Runbooks screen), adjust it and save it`,
        group.id,
      );
    }
  }

  private drillReasons(
    service: Service,
    group: ServiceGroup,
    add: (code: ReadinessCode, text: string, fix: string, groupId?: number | null) => void,
  ) {
    const { drills } = this.evidence;
    if (drills === undefined) {
      add(
        'drills_not_set_up',
        'Drills are not recorded yet, so no recovery has been proven',
        'Run a timed drill of each group once drills are available',
        group.id,
      );
      return;
    }
    const last = this.lastDrill.get(group.id);
    if (!last) {
      const failed = drills.some((d) => d.groupId === group.id);
      add(
        'never_drilled',
        failed ? `Group "${group.name}" has no successful drill yet` : `Group "${group.name}" was never drilled`,
        `Drill the failover of group "${group.name}"`,
        group.id,
      );
      return;
    }
    const maxDays = this.evidence.drillMaxAgeDays ?? DEFAULT_DRILL_MAX_AGE_DAYS;
    const ageDays = ((this.evidence.now ?? Date.now()) - Date.parse(last.finishedAt)) / 86_400_000;
    if (ageDays > maxDays) {
      add(
        'drill_too_old',
        `The last good drill of group "${group.name}" was ${Math.floor(ageDays)} days ago (more than ${maxDays})`,
        `Drill group "${group.name}" again`,
        group.id,
      );
    }
    if (last.changedSince) {
      add(
        'changed_since_drill',
        `Group "${group.name}" changed since its last good drill`,
        `Drill group "${group.name}" again to verify the change`,
        group.id,
      );
    }
    if (last.minutes > service.rtoMinutes) {
      add(
        'drill_slower_than_rto',
        `The last drill took ${formatMinutes(last.minutes)}, more than the RTO of ${formatMinutes(service.rtoMinutes)}`,
        `Shorten the runbook of group "${group.name}" (script manual steps) or agree a longer RTO`,
        group.id,
      );
    }
  }

  private healthReasons(
    service: Service,
    group: ServiceGroup,
    add: (code: ReadinessCode, text: string, fix: string, groupId?: number | null) => void,
  ) {
    const { health } = this.evidence;
    if (health === undefined) {
      add(
        'health_not_monitored',
        'Health is not monitored yet',
        'Set up health checks for each group once they are available',
        group.id,
      );
      return;
    }
    const facts = health.find((h) => h.groupId === group.id);
    if (!facts) {
      add(
        'no_health_checks',
        `No health checks watch group "${group.name}"`,
        `Add the default checks of group "${group.name}" (Health screen) and keep monitoring on`,
        group.id,
      );
      return;
    }
    if (facts.known === 0) {
      // Checks that read nothing (monitoring off, every host unreachable) are no evidence of health.
      const names = facts.unknown.slice(0, 3).join(', ') + (facts.unknown.length > 3 ? ', …' : '');
      add(
        'health_unknown',
        `The health of group "${group.name}" is unknown: no check has a recent answer (${names})`,
        'Turn monitoring on (Health screen) and make sure Lifeboat can reach and log in to the members',
        group.id,
      );
    }
    if (facts.failing.length > 0)
      add(
        'health_failing',
        `Failing checks on group "${group.name}": ${facts.failing.join(', ')}`,
        'Repair what the failing checks report',
        group.id,
      );
    if (facts.drift.length > 0)
      add(
        'drift',
        `The members of group "${group.name}" differ: ${facts.drift.join(', ')}`,
        'Bring the standby in line with the primary',
        group.id,
      );
    const rpo = service.rpoMinutes;
    if (rpo !== null && facts.replicationLagMinutes !== null && facts.replicationLagMinutes > rpo) {
      add(
        'replication_lag',
        `Replication lags ${formatMinutes(facts.replicationLagMinutes)} behind, more than the RPO of ${formatMinutes(rpo)}`,
        'Find why the standby falls behind (network, disk, load)',
        group.id,
      );
    }
    if (rpo !== null && facts.syncAgeMinutes !== null && facts.syncAgeMinutes > rpo) {
      add(
        'sync_age',
        `The last sync was ${formatMinutes(facts.syncAgeMinutes)} ago, more than the RPO of ${formatMinutes(rpo)}`,
        'Sync more often or repair the failing sync',
        group.id,
      );
    }
  }

  private contactReasons(
    service: Service,
    add: (code: ReadinessCode, text: string, fix: string, groupId?: number | null) => void,
  ) {
    const owner = service.ownerContactId === null ? undefined : this.contacts.get(service.ownerContactId);
    if (!owner)
      add(
        'no_contact',
        'No owner or vendor contact to call',
        `Choose the person or vendor to call about "${service.name}"`,
      );
    else if (owner.phones.length === 0)
      add('no_contact', `${owner.name} has no phone number`, `Record a phone number for ${owner.name}`);
  }
}

function nextActions(services: ServiceReadiness[]): NextAction[] {
  const actions = new Map<string, NextAction>();
  const byUrgency = [...services].sort(
    (a, b) => TIER_RANK[a.tier] - TIER_RANK[b.tier] || (b.costPerHour ?? 0) - (a.costPerHour ?? 0),
  );
  for (const service of byUrgency) {
    for (const reason of service.reasons) {
      const key = SOURCE_CODES.has(reason.code)
        ? reason.code
        : reason.groupId !== null
          ? `${reason.code}:g${reason.groupId}`
          : `${reason.code}:s${service.serviceId}`;
      const action = actions.get(key);
      if (!action) {
        actions.set(key, {
          code: reason.code,
          text: reason.text,
          fix: reason.fix,
          services: [service.name],
          tier: service.tier,
          costPerHour: service.costPerHour ?? 0,
          points: reason.penalty,
        });
        continue;
      }
      if (!action.services.includes(service.name)) {
        action.services.push(service.name);
        action.costPerHour += service.costPerHour ?? 0;
      }
      action.points += reason.penalty;
    }
  }
  // Gaps the admin can close today come before parts of Lifeboat that do not exist yet.
  const later = (a: NextAction) => (SOURCE_CODES.has(a.code) ? 1 : 0);
  return [...actions.values()].sort(
    (a, b) =>
      later(a) - later(b) ||
      TIER_RANK[a.tier] - TIER_RANK[b.tier] ||
      b.costPerHour - a.costPerHour ||
      b.points - a.points ||
      a.text.localeCompare(b.text, 'en'),
  );
}
