/** Incidents (alerts that stay open until acknowledged or resolved), their timelines, and maintenance windows. */
import type { Db } from '../connection';
import {
  Incident,
  type IncidentEventKind,
  type IncidentStatus,
  type MaintenanceWindow,
} from '../../../shared/alerting';
import { fromJson, toJson } from './json';

type IncidentRow = {
  id: number;
  opened_at: number;
  check_id: number | null;
  title: string;
  body: string;
  service: string | null;
  takes_down: string;
  group_ids: string;
  status: IncidentStatus;
  level: number;
  next_escalation_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
};

/** An incident as stored, with the groups it belongs to (for silencing). */
export type IncidentRecord = Omit<Incident, 'events'> & { groupIds: number[] };

const toRecord = (row: IncidentRow): IncidentRecord => ({
  id: row.id,
  openedAt: row.opened_at,
  checkId: row.check_id,
  title: row.title,
  body: row.body,
  service: row.service === null ? null : fromJson(row.service, null),
  takesDown: fromJson(row.takes_down, []),
  groupIds: fromJson(row.group_ids, []),
  status: row.status,
  level: row.level,
  nextEscalationAt: row.next_escalation_at,
  acknowledgedAt: row.acknowledged_at,
  acknowledgedBy: row.acknowledged_by,
  resolvedAt: row.resolved_at,
});

/** Open a new incident; returns its id. */
export function insertIncident(db: Db, incident: Omit<IncidentRecord, 'id'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO incidents (opened_at, check_id, title, body, service, takes_down, group_ids, status, level,
           next_escalation_at, acknowledged_at, acknowledged_by, resolved_at)
         VALUES (@openedAt, @checkId, @title, @body, @service, @takesDown, @groupIds, @status, @level,
           @nextEscalationAt, @acknowledgedAt, @acknowledgedBy, @resolvedAt)`,
      )
      .run({
        ...incident,
        service: incident.service === null ? null : toJson(incident.service),
        takesDown: toJson(incident.takesDown),
        groupIds: toJson(incident.groupIds),
      }).lastInsertRowid,
  );
}

/** One incident, or undefined. */
export function getIncident(db: Db, id: number): IncidentRecord | undefined {
  const row = db.prepare<[number], IncidentRow>('SELECT * FROM incidents WHERE id = ?').get(id);
  return row && toRecord(row);
}

/** Incidents not yet resolved, oldest first. */
export function unresolvedIncidents(db: Db): IncidentRecord[] {
  return db
    .prepare<[], IncidentRow>("SELECT * FROM incidents WHERE status != 'resolved' ORDER BY opened_at, id")
    .all()
    .map(toRecord);
}

/** The unresolved incident a check opened, if any. */
export function unresolvedIncidentOfCheck(db: Db, checkId: number): IncidentRecord | undefined {
  const row = db
    .prepare<[number], IncidentRow>(
      "SELECT * FROM incidents WHERE check_id = ? AND status != 'resolved' ORDER BY id DESC LIMIT 1",
    )
    .get(checkId);
  return row && toRecord(row);
}

/** Incidents newest first: the unresolved ones and the latest resolved, up to `limit`. */
export function listIncidents(db: Db, filter: { unresolvedOnly: boolean; limit: number }): IncidentRecord[] {
  return db
    .prepare<[number, number], IncidentRow>(
      "SELECT * FROM incidents WHERE (? = 0 OR status != 'resolved') ORDER BY (status = 'resolved'), opened_at DESC, id DESC LIMIT ?",
    )
    .all(filter.unresolvedOnly ? 1 : 0, filter.limit)
    .map(toRecord);
}

/** Change an incident's standing. */
export function updateIncident(
  db: Db,
  id: number,
  patch: Partial<
    Pick<IncidentRecord, 'status' | 'level' | 'nextEscalationAt' | 'acknowledgedAt' | 'acknowledgedBy' | 'resolvedAt'>
  >,
): void {
  const columns: Record<string, string> = {
    status: 'status',
    level: 'level',
    nextEscalationAt: 'next_escalation_at',
    acknowledgedAt: 'acknowledged_at',
    acknowledgedBy: 'acknowledged_by',
    resolvedAt: 'resolved_at',
  };
  const keys = Object.keys(patch).filter((k) => k in columns);
  if (keys.length === 0) return;
  db.prepare(`UPDATE incidents SET ${keys.map((k) => `${columns[k]} = @${k}`).join(', ')} WHERE id = @id`).run({
    ...patch,
    id,
  });
}

/** Add a line to an incident's timeline. */
export function appendIncidentEvent(db: Db, id: number, at: number, kind: IncidentEventKind, detail: string): void {
  db.prepare('INSERT INTO incident_events (incident_id, at, kind, detail) VALUES (?, ?, ?, ?)').run(
    id,
    at,
    kind,
    detail.slice(0, 2000),
  );
}

/** The timelines of these incidents, in the order they were recorded. */
export function incidentEvents(db: Db, ids: readonly number[]): Map<number, Incident['events']> {
  const out = new Map<number, Incident['events']>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = db
    .prepare<unknown[], { incident_id: number; at: number; kind: IncidentEventKind; detail: string }>(
      `SELECT incident_id, at, kind, detail FROM incident_events WHERE incident_id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`,
    )
    .all(...ids);
  for (const r of rows) out.get(r.incident_id)?.push({ at: r.at, kind: r.kind, detail: r.detail });
  return out;
}

type WindowRow = {
  id: number;
  group_id: number | null;
  kind: MaintenanceWindow['kind'];
  starts_at: number;
  ends_at: number;
  reason: string;
  created_by: string;
};
const toWindow = (r: WindowRow): MaintenanceWindow => ({
  id: r.id,
  groupId: r.group_id,
  kind: r.kind,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  reason: r.reason,
  createdBy: r.created_by,
});

/** Windows that have not ended by `since`, by start. */
export function listMaintenanceWindows(db: Db, since: number): MaintenanceWindow[] {
  return db
    .prepare<[number], WindowRow>('SELECT * FROM maintenance_windows WHERE ends_at > ? ORDER BY starts_at, id')
    .all(since)
    .map(toWindow);
}

/** Windows overlapping [from, to]: what the RTO clock leaves out. */
export function maintenanceOverlapping(db: Db, from: number, to: number): MaintenanceWindow[] {
  return db
    .prepare<[number, number], WindowRow>('SELECT * FROM maintenance_windows WHERE starts_at < ? AND ends_at > ?')
    .all(to, from)
    .map(toWindow);
}

/** One window, or undefined. */
export function getMaintenanceWindow(db: Db, id: number): MaintenanceWindow | undefined {
  const row = db.prepare<[number], WindowRow>('SELECT * FROM maintenance_windows WHERE id = ?').get(id);
  return row && toWindow(row);
}

/** Add a window; returns it. */
export function insertMaintenanceWindow(db: Db, window: Omit<MaintenanceWindow, 'id'>): MaintenanceWindow {
  const id = Number(
    db
      .prepare(
        `INSERT INTO maintenance_windows (group_id, kind, starts_at, ends_at, reason, created_by)
         VALUES (@groupId, @kind, @startsAt, @endsAt, @reason, @createdBy)`,
      )
      .run(window).lastInsertRowid,
  );
  return { ...window, id };
}

/** End a window at `at` (one that has not begun yet is removed). */
export function endMaintenanceWindow(db: Db, id: number, at: number): void {
  db.prepare('DELETE FROM maintenance_windows WHERE id = ? AND starts_at >= ?').run(id, at);
  db.prepare('UPDATE maintenance_windows SET ends_at = ? WHERE id = ? AND ends_at > ? AND starts_at < ?').run(
    at,
    id,
    at,
    at,
  );
}

/** Groups with a failover or drill running now (its alerts are silenced). */
export function groupsRunning(db: Db): { groupId: number; mode: string }[] {
  return db
    .prepare<[], { group_id: number; mode: string }>(
      "SELECT group_id, mode FROM runs WHERE status = 'running' ORDER BY id",
    )
    .all()
    .map((r) => ({ groupId: r.group_id, mode: r.mode }));
}
