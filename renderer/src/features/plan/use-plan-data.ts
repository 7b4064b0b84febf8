/** Loads what the Plan screen shows, again whenever the workspace changes. */
import { useCallback, useEffect, useState } from 'react';
import type { PlanRevision, PlanSummary } from '../../../../shared/contract/plan';
import type { PlanApi } from './plan-api';

export interface PlanMapImage {
  svg: string;
  width: number;
  height: number;
}
export interface PlanPreview {
  html: string;
  revision: number;
  hash: string;
  recorded: boolean;
}

export interface PlanData {
  summary: PlanSummary | null;
  map: PlanMapImage | null;
  preview: PlanPreview | null;
  revisions: PlanRevision[];
  /** Why the summary could not be loaded (for example a dependency cycle). */
  error: string | null;
  /** Why the map, or the preview, could not be made; they fail on their own. */
  mapError: string | null;
  previewError: string | null;
  loading: boolean;
  reload(): void;
}

/**
 * Summary, map, revisions and the HTML preview, fetched together; `changeKey` is anything that
 * changes when the workspace does (the store's snapshot).
 */
export function usePlanData(api: PlanApi, changeKey: unknown): PlanData {
  const [state, setState] = useState<Omit<PlanData, 'reload'>>({
    summary: null,
    map: null,
    preview: null,
    revisions: [],
    error: null,
    mapError: null,
    previewError: null,
    loading: true,
  });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((n) => n + 1), []);

  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    const settle = (patch: Partial<PlanData>) => current && setState((s) => ({ ...s, ...patch }));
    Promise.all([api.call('plan.summary', {}), api.call('plan.revisions', {})]).then(
      ([summary, revisions]) => settle({ summary, revisions, error: null, loading: false }),
      (error: Error) => settle({ error: error.message, loading: false }),
    );
    // The map and the preview take longer on big workspaces: they arrive on their own.
    api.call('plan.map', {}).then(
      (map) => settle({ map, mapError: null }),
      (error: Error) => settle({ map: null, mapError: error.message }),
    );
    api.call('plan.preview', {}).then(
      (preview) => settle({ preview, previewError: null }),
      (error: Error) => settle({ preview: null, previewError: error.message }),
    );
    return () => {
      current = false;
    };
  }, [api, changeKey, round]);

  return { ...state, reload };
}
