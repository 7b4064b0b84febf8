/** The UI slice: which screen is shown, the colour theme, notices, and whether live updates flow. */
import type { StateCreator } from 'zustand';
import type { AppState, NoticeTone, Notice, UiSlice } from './app-state';

export type { NoticeTone, Notice, UiSlice };

import type { Theme } from './themes';

export { THEMES, type Theme } from './themes';

const MAX_NOTICES = 4;

/** The UI slice, starting from the screen and theme the page was opened with. */
export function createUiSlice(initial: { screen: string; theme: Theme }): StateCreator<AppState, [], [], UiSlice> {
  let nextId = 1;
  return (set, get) => ({
    screen: initial.screen,
    theme: initial.theme,
    notices: [],
    connection: 'connecting',
    navigate: (screen) => set({ screen }),
    setTheme: (theme) => set({ theme }),
    notify(tone, text, details = []) {
      const existing = get().notices.find((n) => n.text === text && n.tone === tone);
      if (existing) return existing.id;
      const id = nextId++;
      set({ notices: [...get().notices, { id, tone, text, details }].slice(-MAX_NOTICES) });
      return id;
    },
    dismiss: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
  });
}
