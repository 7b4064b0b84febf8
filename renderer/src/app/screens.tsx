/**
 * The screens of the console, in sidebar order. Adding a screen (Health, Failover, Plan) is one
 * entry here: the sidebar, the hash route and the page title follow from it.
 */
import type { ComponentType, ReactNode } from 'react';
import { ContactsIcon, DashboardIcon, GroupsIcon, ServersIcon, ServicesIcon } from '../components/icons';
import { Dashboard } from '../features/dashboard/Dashboard';
import { ServicesBoard } from '../features/services/ServicesBoard';
import { GroupsScreen } from '../features/groups/GroupsScreen';
import { ServersScreen } from '../features/servers/ServersScreen';
import { ContactsScreen } from '../features/contacts/ContactsScreen';

export interface ScreenEntry {
  /** Also the hash route: `#/<id>`. */
  id: string;
  title: string;
  icon: ReactNode;
  component: ComponentType;
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: 'dashboard', title: 'Dashboard', icon: <DashboardIcon />, component: Dashboard },
  { id: 'services', title: 'Services', icon: <ServicesIcon />, component: ServicesBoard },
  { id: 'groups', title: 'Service groups', icon: <GroupsIcon />, component: GroupsScreen },
  { id: 'servers', title: 'Servers', icon: <ServersIcon />, component: ServersScreen },
  { id: 'contacts', title: 'Contacts', icon: <ContactsIcon />, component: ContactsScreen },
];

export const DEFAULT_SCREEN = SCREENS[0].id;
export const SCREEN_IDS = SCREENS.map((screen) => screen.id);

/** The entry of a screen id, the Dashboard for an unknown one. */
export function screenEntry(id: string): ScreenEntry {
  return SCREENS.find((screen) => screen.id === id) ?? SCREENS[0];
}
