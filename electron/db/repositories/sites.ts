/** Sites: where servers stand. */
import type { Db } from '../connection';
import type { Site } from '../../../shared/domain';

type SiteRow = { id: number; name: string; address: string; notes: string };

export function listSites(db: Db): Site[] {
  return db.prepare<[], SiteRow>('SELECT id, name, address, notes FROM sites ORDER BY name').all();
}

export function saveSite(db: Db, site: Omit<Site, 'id'> & { id?: number }): Site {
  if (site.id === undefined) {
    const { lastInsertRowid } = db
      .prepare('INSERT INTO sites (name, address, notes) VALUES (@name, @address, @notes)')
      .run(site);
    return { ...site, id: Number(lastInsertRowid) };
  }
  db.prepare('UPDATE sites SET name = @name, address = @address, notes = @notes WHERE id = @id').run(site);
  return site as Site;
}
