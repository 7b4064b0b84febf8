/** Narrow selectors: each returns a stable reference so components re-render only on real change. */
import type { Contact, Server, Service, ServiceGroup, Site } from '../../../shared/domain';
import type { AppState } from './app-state';
import type { GroupState } from '../../../shared/contract/reprotect';

const NONE: never[] = [];

export const selectServers = (s: AppState): Server[] => s.snapshot?.servers ?? NONE;
export const selectServices = (s: AppState): Service[] => s.snapshot?.services ?? NONE;
export const selectGroups = (s: AppState): ServiceGroup[] => s.snapshot?.groups ?? NONE;
export const selectContacts = (s: AppState): Contact[] => s.snapshot?.contacts ?? NONE;
export const selectSites = (s: AppState): Site[] => s.snapshot?.sites ?? NONE;
export const selectCompanyName = (s: AppState): string => s.snapshot?.settings.companyName ?? '';
export const selectTargetMinutes = (s: AppState): number | null => s.snapshot?.settings.targetMinutes ?? null;
export const selectCall = (s: AppState): AppState['call'] => s.call;
export const selectNotify = (s: AppState): AppState['notify'] => s.notify;
export const selectApi = (s: AppState): AppState['api'] => s.api;
export const selectGroupStates = (s: AppState): GroupState[] => s.groupStates;
