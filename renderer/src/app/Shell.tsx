/** The console's frame: sidebar navigation, the top bar with the plan-file actions, the current screen. */
import { useApp } from '../store/store-context';
import { selectApi, selectCompanyName, selectTargetMinutes } from '../store/selectors';
import { formatMinutes } from '../components/format';
import { PlanFileActions } from '../features/plan-file/PlanFileActions';
import { screenEntry } from './screens';
import { Sidebar } from './Sidebar';
import { PassphrasePrompts } from '../features/health/PassphraseDialog';

/** Sidebar + top bar + the screen the hash names. */
export function Shell() {
  const screen = useApp((s) => s.screen);
  const company = useApp(selectCompanyName);
  const target = useApp(selectTargetMinutes);
  const api = useApp(selectApi);
  const entry = screenEntry(screen);
  const Screen = entry.component;
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <Sidebar current={entry.id} />
      <div className="main-column">
        <header className="topbar">
          <div className="topbar-company">
            <span className="topbar-name">{company || 'Unnamed company'}</span>
            {target !== null && (
              <span className="topbar-target">Target: any failure turned around in under {formatMinutes(target)}</span>
            )}
          </div>
          <PlanFileActions />
        </header>
        <main id="main" className="screen" tabIndex={-1} aria-labelledby="screen-title">
          <Screen />
        </main>
      </div>
      {/* A key's passphrase may be asked by any work (a check, a failover): answer it from any screen. */}
      <PassphrasePrompts api={api} />
    </div>
  );
}
