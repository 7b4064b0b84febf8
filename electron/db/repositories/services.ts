/** Business services: tier, RTO/RPO, cost, workaround and dependencies. */
import type { Db } from '../connection';
import type { Service } from '../../../shared/domain';

type ServiceRow = {
  id: number;
  name: string;
  description: string;
  tier: Service['tier'];
  rto_minutes: number;
  rpo_minutes: number | null;
  cost_per_hour: number | null;
  workaround: string;
  owner_contact_id: number | null;
  group_id: number | null;
  hosted_by: string;
};

export function listServices(db: Db): Service[] {
  const deps = db
    .prepare<[], { service_id: number; depends_on_id: number }>(
      'SELECT service_id, depends_on_id FROM service_dependencies ORDER BY rowid',
    )
    .all();
  return db
    .prepare<[], ServiceRow>(
      `SELECT * FROM services ORDER BY CASE tier WHEN 'critical' THEN 0 WHEN 'important' THEN 1 ELSE 2 END, name`,
    )
    .all()
    .map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      tier: r.tier,
      rtoMinutes: r.rto_minutes,
      rpoMinutes: r.rpo_minutes,
      costPerHour: r.cost_per_hour,
      workaround: r.workaround,
      ownerContactId: r.owner_contact_id,
      groupId: r.group_id,
      hostedBy: r.hosted_by,
      dependsOn: deps.filter((d) => d.service_id === r.id).map((d) => d.depends_on_id),
    }));
}

/** Insert or update a service row; dependencies are written by setDependencies. */
export function saveServiceRow(db: Db, service: Omit<Service, 'id'> & { id?: number }): number {
  const params = {
    id: service.id ?? null,
    name: service.name,
    description: service.description,
    tier: service.tier,
    rto: service.rtoMinutes,
    rpo: service.rpoMinutes,
    cost: service.costPerHour,
    workaround: service.workaround,
    owner: service.ownerContactId,
    group: service.groupId,
    hosted: service.hostedBy,
  };
  if (service.id === undefined) {
    return Number(
      db
        .prepare(
          `INSERT INTO services (name, description, tier, rto_minutes, rpo_minutes, cost_per_hour, workaround, owner_contact_id, group_id, hosted_by)
           VALUES (@name, @description, @tier, @rto, @rpo, @cost, @workaround, @owner, @group, @hosted)`,
        )
        .run(params).lastInsertRowid,
    );
  }
  db.prepare(
    `UPDATE services SET name = @name, description = @description, tier = @tier, rto_minutes = @rto, rpo_minutes = @rpo,
       cost_per_hour = @cost, workaround = @workaround, owner_contact_id = @owner, group_id = @group, hosted_by = @hosted
     WHERE id = @id`,
  ).run(params);
  return service.id;
}

export function setDependencies(db: Db, serviceId: number, dependsOn: readonly number[]): void {
  db.prepare('DELETE FROM service_dependencies WHERE service_id = ?').run(serviceId);
  const add = db.prepare('INSERT INTO service_dependencies (service_id, depends_on_id) VALUES (?, ?)');
  for (const target of new Set(dependsOn)) add.run(serviceId, target);
}
