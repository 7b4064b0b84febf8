/** The console's entry: pick the transport, create the one store, bind it to the page, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseTransport } from './api/choose-transport';
import { createAppStore } from './store/app-store';
import { StoreProvider } from './store/store-context';
import { bindBrowser, rememberedTheme } from './app/browser-bindings';
import { screenFromHash } from './app/routing';
import { DEFAULT_SCREEN, SCREEN_IDS } from './app/screens';
import { App } from './app/App';
import { NoConnection } from './app/NoConnection';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/feedback.css';
import './styles/dialogs.css';
import './styles/tables.css';
import './styles/screens.css';
import './styles/dashboard.css';
import './styles/board.css';
import './styles/groups.css';
import './styles/reprotect.css';
import './styles/first-run.css';
import './styles/failover.css';

const root = createRoot(document.getElementById('root')!);
const choice = chooseTransport();

if ('problem' in choice) {
  root.render(<NoConnection problem={choice.problem} />);
} else {
  const { store } = createAppStore(choice.transport, {
    screen: screenFromHash(location.hash, SCREEN_IDS, DEFAULT_SCREEN),
    theme: rememberedTheme(),
  });
  bindBrowser(store, { ids: SCREEN_IDS, fallback: DEFAULT_SCREEN });
  root.render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
