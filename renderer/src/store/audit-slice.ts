/**
 * The audit area: the newest rows of the log, and older pages the operator asked for. A refresh
 * reads the newest page again and keeps the older rows already loaded below it.
 */
import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api-client';
import type { AppState, AuditSlice } from './app-state';

export type { AuditSlice };
import { areaLoader } from './area';

export const AUDIT_PAGE = 200;

/** The audit slice, reading through `api`. */
export function createAuditSlice(api: Api): StateCreator<AppState, [], [], AuditSlice> {
  return (set, get) => ({
    auditRows: [],
    auditHasOlder: false,
    auditError: null,
    refreshAudit: areaLoader(set, 'auditError', async () => {
      const newest = await api.call('audit.list', { limit: AUDIT_PAGE });
      const oldestNew = newest.at(-1)?.id ?? Number.POSITIVE_INFINITY;
      const loaded = get().auditRows;
      // Rows loaded from older pages stay when they join the newest page without a gap (the page
      // reaches back to them); after a burst of more than a page they are dropped, not shown with a hole.
      const joins = newest.length < AUDIT_PAGE || loaded.some((row) => row.id >= oldestNew);
      const kept = joins ? loaded.filter((row) => row.id < oldestNew) : [];
      return {
        auditRows: [...newest, ...kept],
        auditHasOlder: kept.length > 0 ? get().auditHasOlder : newest.length === AUDIT_PAGE,
      };
    }),
    async loadOlderAudit() {
      const last = get().auditRows.at(-1);
      if (!last) return;
      try {
        const older = await api.call('audit.list', { limit: AUDIT_PAGE, beforeId: last.id });
        const known = new Set(get().auditRows.map((row) => row.id));
        set({
          auditRows: [...get().auditRows, ...older.filter((row) => !known.has(row.id))],
          auditHasOlder: older.length === AUDIT_PAGE,
          auditError: null,
        });
      } catch (error) {
        set({ auditError: (error as Error).message });
      }
    },
  });
}
