/**
 * Ties the store to the page, outside React: the location hash follows the screen and back, and
 * the theme is applied to <html> and remembered.
 */
import type { AppStoreApi } from '../store/app-store';
import { THEMES, type Theme } from '../store/ui-slice';
import { hashOf, screenFromHash } from './routing';

const THEME_KEY = 'lifeboat.theme';

/** The theme chosen in an earlier session, "system" when none. */
export function rememberedTheme(): Theme {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : 'system';
  } catch {
    return 'system';
  }
}

function applyTheme(theme: Theme) {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Not remembered across sessions then; it still applies now.
  }
}

/** Start syncing; returns the function that stops it. */
export function bindBrowser(store: AppStoreApi, screens: { ids: readonly string[]; fallback: string }): () => void {
  const onHashChange = () => {
    const screen = screenFromHash(location.hash, screens.ids, screens.fallback);
    if (store.getState().screen !== screen) store.getState().navigate(screen);
  };
  window.addEventListener('hashchange', onHashChange);
  applyTheme(store.getState().theme);
  document.title = titleFor(store.getState().snapshot?.settings.companyName);

  const stop = store.subscribe((state, previous) => {
    if (state.screen !== previous.screen && location.hash !== hashOf(state.screen))
      location.hash = hashOf(state.screen);
    if (state.theme !== previous.theme) applyTheme(state.theme);
    const company = state.snapshot?.settings.companyName;
    if (company !== previous.snapshot?.settings.companyName) document.title = titleFor(company);
  });
  return () => {
    window.removeEventListener('hashchange', onHashChange);
    stop();
  };
}

function titleFor(company: string | undefined): string {
  return company ? `${company} — Lifeboat` : 'Lifeboat';
}
