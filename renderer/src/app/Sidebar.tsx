/** The left navigation, built from the screen list, with the theme switch and live-update status. */
import { LifebuoyIcon } from '../components/icons';
import { useApp } from '../store/store-context';
import { THEMES, type Theme } from '../store/ui-slice';
import type { ConnectionState } from '../api/console-transport';
import { hashOf } from './routing';
import { SCREENS } from './screens';

const THEME_LABEL: Record<Theme, string> = { system: 'Match the system', light: 'Light', dark: 'Dark' };
const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live updates on',
  reconnecting: 'Reconnecting…',
};

/** Navigation links are plain anchors to hash routes, so they work with every key and reader. */
export function Sidebar({ current }: { current: string }) {
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  const connection = useApp((s) => s.connection);
  return (
    <aside className="sidebar">
      <div className="brand">
        <LifebuoyIcon />
        <span>Lifeboat</span>
      </div>
      <nav aria-label="Screens">
        <ul className="nav-list">
          {SCREENS.map((screen) => (
            <li key={screen.id} className={screen.section ? 'nav-section-start' : undefined}>
              {screen.section && <span className="nav-section">{screen.section}</span>}
              <a
                href={hashOf(screen.id)}
                className="nav-link"
                aria-current={screen.id === current ? 'page' : undefined}
              >
                {screen.icon}
                <span>{screen.title}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="sidebar-footer">
        <label className="sidebar-label" htmlFor="theme-select">
          Theme
        </label>
        <select id="theme-select" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
          {THEMES.map((t) => (
            <option key={t} value={t}>
              {THEME_LABEL[t]}
            </option>
          ))}
        </select>
        <p className={`connection connection-${connection}`} role="status">
          <span className="connection-dot" aria-hidden="true" />
          {CONNECTION_LABEL[connection]}
        </p>
      </div>
    </aside>
  );
}
