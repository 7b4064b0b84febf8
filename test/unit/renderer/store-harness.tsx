/**
 * Screens rendered against the real store without a DOM (react-dom/server). Static rendering reads
 * zustand's server snapshot, which is the store's *initial* state; the view given to the provider
 * answers with the current state instead, so a render shows what the store holds now.
 */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ServiceGroup, Server, type Snapshot } from '../../../shared/domain';
import type { AppStoreApi } from '../../../renderer/src/store/app-store';
import { StoreProvider } from '../../../renderer/src/store/store-context';
import { emptySnapshot } from './fake-transport';

/** The markup of `element` under a provider of `store`'s current state. */
export function renderWithStore(store: AppStoreApi, element: ReactElement): string {
  const current: AppStoreApi = { ...store, getInitialState: () => store.getState() };
  return renderToStaticMarkup(<StoreProvider store={current}>{element}</StoreProvider>);
}

/** Two web servers and the group that moves between them, named `groupName`. */
export function webSnapshot(groupName = 'web'): Snapshot {
  const servers = [
    Server.parse({ id: 1, name: 'web-a', addresses: ['10.77.0.11'], ssh: { host: '10.77.0.11' } }),
    Server.parse({ id: 2, name: 'web-b', addresses: ['10.77.0.12'], ssh: { host: '10.77.0.12' } }),
  ];
  const group = ServiceGroup.parse({
    id: 7,
    name: groupName,
    members: [
      { serverId: 1, role: 'primary' },
      { serverId: 2, role: 'standby' },
    ],
    processes: ['nginx'],
    vips: [
      {
        address: '10.77.0.10',
        prefix: 24,
        interfaces: [
          { serverId: 1, interface: 'eth0' },
          { serverId: 2, interface: 'eth0' },
        ],
      },
    ],
    data: { kind: 'none' },
  });
  return { ...emptySnapshot('Example Ltd'), servers, groups: [group] };
}
