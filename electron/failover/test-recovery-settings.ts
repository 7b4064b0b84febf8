/** How often the test recovery runs by itself while monitoring is on, and the clock tolerance it holds hosts to. */
import type { Db } from '../db/connection';
import { TestRecoverySettings } from '../../shared/contract/test-recovery';
import { getFailoverSetting, setFailoverSetting } from '../db/repositories/runs';

export const DEFAULT_TEST_RECOVERY_SETTINGS: TestRecoverySettings = { intervalDays: 7, clockToleranceMs: 1000 };
const KEY = 'testRecovery';

/** The stored settings, or the defaults where none (or something unreadable) is stored. */
export function testRecoverySettings(db: Db): TestRecoverySettings {
  const stored = TestRecoverySettings.safeParse(getFailoverSetting<unknown>(db, KEY, null));
  return stored.success ? stored.data : DEFAULT_TEST_RECOVERY_SETTINGS;
}

/** Save the settings (validated by the contract where they entered). */
export function setTestRecoverySettings(db: Db, settings: TestRecoverySettings): TestRecoverySettings {
  setFailoverSetting(db, KEY, TestRecoverySettings.parse(settings));
  return testRecoverySettings(db);
}
