/**
 * Optional vitest globalSetup (`globalSetup: ['test/lab/global-setup.ts']`): lets the lab outlive
 * each test file (describeLab then leaves it running for the next file, which reuses it when it is
 * still healthy and pristine), and stops it once at the end of the run if tests started it.
 * Without it, each lab-using file starts and stops its own lab (about 2-3 s each).
 */
import { labAvailable, openLab, stopLab } from './lab';

export function setup(): () => Promise<void> {
  process.env.LIFEBOAT_LAB_LINGER = '1';
  return async () => {
    if (!labAvailable().ok || process.env.LIFEBOAT_LAB_KEEP === '1') return;
    const lab = openLab();
    if (lab && lab.origin === 'test') await stopLab(lab.dir);
  };
}
