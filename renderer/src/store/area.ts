/**
 * One way for every area slice to load what it shows: a coalesced fetch that stores its result and
 * keeps its own error (shown on the area's screen), so a failing area never hides the others.
 */
import type { AppState } from './app-state';
import { coalesced } from './refresher';

type Set = (partial: Partial<AppState>) => void;

/** A refresh function for one area: `fetch` returns the state to merge; a failure lands in `errorKey`. */
export function areaLoader<K extends keyof AppState>(
  set: Set,
  errorKey: K,
  fetch: () => Promise<Partial<AppState>>,
): () => Promise<void> {
  return coalesced(async () => {
    try {
      set({ ...(await fetch()), [errorKey]: null });
    } catch (error) {
      set({ [errorKey]: (error as Error)?.message ?? String(error) } as Partial<AppState>);
    }
  });
}
