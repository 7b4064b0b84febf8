/**
 * The screens of the console, in sidebar order. Adding a screen is one entry here: the sidebar,
 * the hash route and the page title follow from it. Every screen reads what it shows from the
 * store, which the contract's events keep current.
 */
import type { ComponentType, ReactNode } from 'react';
import {
  AuditIcon,
  ContactsIcon,
  SettingsIcon,
  SitesIcon,
  DashboardIcon,
  DrillIcon,
  FailoverIcon,
  GroupsIcon,
  HealthIcon,
  PlanIcon,
  RunbookIcon,
  ServersIcon,
  ServicesIcon,
} from '../components/icons';
import { Dashboard } from '../features/dashboard/Dashboard';
import { ServicesBoard } from '../features/services/ServicesBoard';
import { GroupsScreen } from '../features/groups/GroupsScreen';
import { ServersScreen } from '../features/servers/ServersScreen';
import { ContactsScreen } from '../features/contacts/ContactsScreen';
import { SitesScreen } from '../features/sites/SitesScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { AlertSettingsScreen } from '../features/alert-settings/AlertSettingsScreen';
import { HealthScreen } from '../features/health';
import { AuditScreen, DrillsScreen, FailoverScreen, RunbookEditor } from '../features/failover';
import { PlanScreen } from '../features/plan/PlanScreen';

export interface ScreenEntry {
  /** Also the hash route: `#/<id>`. */
  id: string;
  title: string;
  icon: ReactNode;
  component: ComponentType;
  /** Where the sidebar draws a divider above this entry. */
  section?: string;
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: 'dashboard', title: 'Dashboard', icon: <DashboardIcon />, component: Dashboard },
  { id: 'health', title: 'Health', icon: <HealthIcon />, component: HealthScreen },
  { id: 'failover', title: 'Failover', icon: <FailoverIcon />, component: FailoverScreen },
  { id: 'services', title: 'Services', icon: <ServicesIcon />, component: ServicesBoard, section: 'Inventory' },
  { id: 'groups', title: 'Service groups', icon: <GroupsIcon />, component: GroupsScreen },
  { id: 'servers', title: 'Servers', icon: <ServersIcon />, component: ServersScreen },
  { id: 'contacts', title: 'Contacts', icon: <ContactsIcon />, component: ContactsScreen },
  { id: 'sites', title: 'Sites', icon: <SitesIcon />, component: SitesScreen },
  { id: 'runbooks', title: 'Runbooks', icon: <RunbookIcon />, component: RunbookEditor, section: 'Readiness' },
  { id: 'drills', title: 'Drills', icon: <DrillIcon />, component: DrillsScreen },
  { id: 'plan', title: 'DR plan', icon: <PlanIcon />, component: PlanScreen },
  { id: 'audit', title: 'Audit log', icon: <AuditIcon />, component: AuditScreen },
  { id: 'settings', title: 'Settings', icon: <SettingsIcon />, component: SettingsScreen, section: 'Workspace' },
  { id: 'alert-settings', title: 'Alerts', icon: <HealthIcon />, component: AlertSettingsScreen },
];

export const DEFAULT_SCREEN = SCREENS[0].id;
export const SCREEN_IDS = SCREENS.map((screen) => screen.id);

/** The entry of a screen id, the Dashboard for an unknown one. */
export function screenEntry(id: string): ScreenEntry {
  return SCREENS.find((screen) => screen.id === id) ?? SCREENS[0];
}
