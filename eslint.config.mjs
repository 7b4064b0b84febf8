// The layer rule (DESIGN.md): shared/ imports nothing of ours and no runtime; electron/ and
// renderer/ never import each other. A violation fails `npm run lint`, and so `npm test`.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'events', 'url', 'util', 'tls', 'dns', 'worker_threads'];

const layer = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns, paths }] },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'release/', '**/*.d.ts', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  layer(
    ['shared/**/*.ts'],
    [
      { group: ['**/electron/**', '**/renderer/**', '**/test/**'], message: 'shared/ is pure: it imports nothing from electron/, renderer/ or test/.' },
      { group: ['node:*'], message: 'shared/ runs everywhere: no Node built-ins.' },
    ],
    [
      { name: 'electron', message: 'shared/ is pure: no Electron.' },
      { name: 'react', message: 'shared/ is pure: no React or DOM.' },
      ...NODE_BUILTINS.map((name) => ({ name, message: 'shared/ runs everywhere: no Node built-ins.' })),
    ],
  ),
  layer(['electron/**/*.ts'], [{ group: ['**/renderer/**'], message: 'electron/ never imports renderer/: talk through the API contract.' }]),
  layer(
    ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    [
      { group: ['**/electron/**'], message: 'renderer/ never imports electron/: use the API client.' },
      { group: ['node:*'], message: 'renderer/ is DOM only: no Node built-ins.' },
    ],
    [{ name: 'electron', message: 'renderer/ never touches Electron: use window.lifeboat through the API client.' }],
  ),
);
