/** The UI slice: which screen is shown, the colour theme, notices, and whether live updates flow. */
import type { StateCreator } from 'zustand';
import type { ConnectionState } from '../api/console-transport';
import type { AppState } from './app-state';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export type NoticeTone = 'success' | 'error' | 'info';

export interface Notice {
  id: number;
  tone: NoticeTone;
  text: string;
  /** Extra lines, e.g. the line-numbered problems of a refused plan file. */
  details: string[];
}

export interface UiSlice {
  /** Id of the screen in the navigation list; unknown ids show the Dashboard. */
  screen: string;
  theme: Theme;
  notices: Notice[];
  connection: ConnectionState;
  navigate(screen: string): void;
  setTheme(theme: Theme): void;
  /** Show a notice; returns its id. The same text is not shown twice at once. */
  notify(tone: NoticeTone, text: string, details?: string[]): number;
  dismiss(id: number): void;
}

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
