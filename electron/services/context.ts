/** What every service function receives: the open workspace and facts about the running app. */
import type { Db } from '../db/connection';

export interface ServiceContext {
  db: Db;
  dbPath: string;
  appVersion: string;
}
