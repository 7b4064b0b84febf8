/** Every migration in order. A new one is a new numbered file added here. */
import { inventory } from './0001-inventory';
import type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [inventory];
export type { Migration };
