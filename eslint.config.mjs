// The layer rule (docs/architecture.md), enforced by eslint-rules/layers.mjs: shared/ imports nothing of ours
// and no runtime; electron/ and renderer/ never import each other; renderer/ gets no Node. A
// violation fails `npm run lint`, and so `npm test`.
import tseslint from 'typescript-eslint';
import { layersRule } from './eslint-rules/layers.mjs';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'release/', '**/*.d.ts', 'test/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['shared/**/*.ts', 'electron/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { lifeboat: { rules: { layers: layersRule } } },
    rules: { 'lifeboat/layers': 'error' },
  },
);
