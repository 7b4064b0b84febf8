import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  chromiumPdfRenderer,
  findChromium,
  installedBrowsers,
  noChromiumMessage,
  NO_PLAYWRIGHT,
} from '../../../electron/plan/pdf-chromium';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-chromium-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('finding Chromium', () => {
  it('takes LIFEBOAT_CHROMIUM when it is an executable file, and only it when set', () => {
    const fake = path.join(dir, 'my-chrome');
    fs.writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
    expect(findChromium({ LIFEBOAT_CHROMIUM: fake, PATH: '' })).toBe(fake);
    expect(findChromium({ LIFEBOAT_CHROMIUM: path.join(dir, 'missing'), PATH: '/usr/bin' })).toBeNull();
  });

  it('looks in the usual macOS and Windows install places', () => {
    const places = installedBrowsers({ PROGRAMFILES: 'C:/Program Files', LOCALAPPDATA: 'C:/Users/sam/AppData/Local' });
    expect(places).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(places).toContain('/Applications/Chromium.app/Contents/MacOS/Chromium');
    expect(places).toContain(path.join('C:/Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe'));
    expect(places).toContain(path.join('C:/Users/sam/AppData/Local', 'Google', 'Chrome', 'Application', 'chrome.exe'));
    expect(places).toContain(path.join('C:/Program Files', 'Microsoft', 'Edge', 'Application', 'msedge.exe'));
  });

  it('says where it looked and what to do instead', () => {
    expect(noChromiumMessage({ LIFEBOAT_CHROMIUM: '/opt/nothing' })).toMatch(
      /^no Chromium found: install chromium or export HTML \(LIFEBOAT_CHROMIUM is set to \/opt\/nothing, which is not an executable file\)\. Set LIFEBOAT_CHROMIUM/,
    );
    expect(noChromiumMessage({})).toContain('the usual macOS and Windows install places');
  });
});

describe('the Chromium PDF renderer', () => {
  it('says playwright-core is not installed when the module cannot be found', async () => {
    const missing = () =>
      Promise.reject(
        Object.assign(new Error("Cannot find package 'playwright-core'"), { code: 'ERR_MODULE_NOT_FOUND' }),
      );
    await expect(chromiumPdfRenderer('/usr/bin/chromium', missing).render('<p>x</p>')).rejects.toThrow(NO_PLAYWRIGHT);
  });

  it('passes any other loading error on as it is', async () => {
    const broken = () => Promise.reject(new Error('syntax error in module'));
    await expect(chromiumPdfRenderer('/usr/bin/chromium', broken).render('<p>x</p>')).rejects.toThrow(
      'syntax error in module',
    );
  });

  it('refuses with the no-Chromium message before loading anything', async () => {
    let loaded = false;
    const load = () => {
      loaded = true;
      return import('playwright-core');
    };
    await expect(chromiumPdfRenderer(null, load).render('<p>x</p>')).rejects.toThrow(/^no Chromium found/);
    expect(loaded).toBe(false);
  });
});
