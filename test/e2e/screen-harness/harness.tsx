/** One screen alone on a page, on the real store and transport: for screens the app does not mount yet. */
import { createRoot } from 'react-dom/client';
import { chooseTransport } from '../../../renderer/src/api/choose-transport';
import { createAppStore } from '../../../renderer/src/store/app-store';
import { StoreProvider, useApp } from '../../../renderer/src/store/store-context';
import { SitesScreen } from '../../../renderer/src/features/sites/SitesScreen';
import { SettingsScreen } from '../../../renderer/src/features/settings/SettingsScreen';
import '../../../renderer/src/styles/base.css';
import '../../../renderer/src/styles/layout.css';
import '../../../renderer/src/styles/controls.css';
import '../../../renderer/src/styles/feedback.css';
import '../../../renderer/src/styles/dialogs.css';
import '../../../renderer/src/styles/tables.css';
import '../../../renderer/src/styles/screens.css';

const SCREENS = { sites: SitesScreen, settings: SettingsScreen } as const;

function Harness({ name }: { name: keyof typeof SCREENS }) {
  const ready = useApp((s) => s.loadState === 'ready');
  const notices = useApp((s) => s.notices);
  const Screen = SCREENS[name];
  return (
    <>
      {ready ? <Screen /> : <p>Loading…</p>}
      <ul data-testid="notices">
        {notices.map((n) => (
          <li key={n.id}>{n.text}</li>
        ))}
      </ul>
    </>
  );
}

const choice = chooseTransport();
if ('problem' in choice) throw new Error(choice.problem);
const { store } = createAppStore(choice.transport, { screen: 'dashboard', theme: 'system' });
const name = (location.hash.slice(1) || 'sites') as keyof typeof SCREENS;
createRoot(document.getElementById('root')!).render(
  <StoreProvider store={store}>
    <Harness name={name} />
  </StoreProvider>,
);
