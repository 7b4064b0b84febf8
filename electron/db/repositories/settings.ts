/** Workspace settings, one JSON value per key. */
import type { Db } from '../connection';
import { Settings } from '../../../shared/domain';
import { fromJson, toJson } from './json';

export function getSettings(db: Db): Settings {
  const rows = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings').all();
  const raw = Object.fromEntries(rows.map((r) => [r.key, fromJson(r.value, null)]));
  const parsed = Settings.safeParse(raw);
  return parsed.success ? parsed.data : Settings.parse({});
}

export function saveSettings(db: Db, settings: Settings): Settings {
  const put = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  for (const [key, value] of Object.entries(settings)) put.run(key, toJson(value));
  return settings;
}

/** Internal flags that are not part of the user's settings (kept apart by a leading underscore). */
export function getFlag(db: Db, key: `_${string}`): unknown {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
  return row ? fromJson(row.value, null) : null;
}

export function setFlag(db: Db, key: `_${string}`, value: unknown): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, toJson(value));
}
