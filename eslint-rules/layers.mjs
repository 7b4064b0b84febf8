// The layer rule (docs/architecture.md) as one ESLint rule over every way a module can be named: import and
// export declarations, `import type`, dynamic `import()`, `require()`, `import x = require()` and
// type-level `import('…')`. shared/ imports nothing of ours and no runtime; electron/ and renderer/
// never import each other; renderer/ gets no Node built-in and no main-process package.
import { builtinModules } from 'node:module';
import path from 'node:path';

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0]]));
/** Packages that need Node or the main process: never in renderer/ or shared/. */
export const MAIN_PROCESS_PACKAGES = [
  'electron',
  'better-sqlite3',
  'ssh2',
  'cpu-features',
  'ws',
  'nodemailer',
  'playwright-core',
  'commander',
  'electron-builder',
];
/** Packages that need a DOM or React: never in shared/. */
const UI_PACKAGES = ['react', 'react-dom', 'zustand', 'uplot', 'elkjs'];
const LAYERS = ['shared', 'electron', 'renderer', 'test'];

function layerOf(root, file) {
  const first = path.relative(root, file).split(path.sep)[0];
  return LAYERS.includes(first) ? first : null;
}

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isBuiltin(specifier) {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(packageOf(specifier));
}

/** Why `from` (a layer) may not name `specifier` from `file`, or null when it may. */
export function layerProblem(root, file, specifier) {
  const from = layerOf(root, file);
  if (from === null || from === 'test') return null;
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const to = layerOf(root, path.resolve(path.dirname(file), specifier));
    if (from === 'shared' && to !== null && to !== 'shared') return `shared/ is pure: it imports nothing from ${to}/.`;
    if (from === 'electron' && to === 'renderer')
      return 'electron/ never imports renderer/: talk through the API contract.';
    if (from === 'renderer' && (to === 'electron' || to === 'test'))
      return `renderer/ never imports ${to}/: use the API client.`;
    return null;
  }
  if (from === 'electron') return null;
  if (isBuiltin(specifier))
    return `${from}/ runs ${from === 'shared' ? 'everywhere' : 'in the page'}: no Node built-ins ("${specifier}").`;
  const name = packageOf(specifier);
  if (MAIN_PROCESS_PACKAGES.includes(name))
    return `${from}/ may not use "${name}": it belongs to the main process (electron/).`;
  if (from === 'shared' && UI_PACKAGES.includes(name))
    return `shared/ is pure: no "${name}" (it belongs to renderer/).`;
  return null;
}

const literal = (node) => (node && node.type === 'Literal' && typeof node.value === 'string' ? node.value : null);
const staticText = (node) =>
  literal(node) ??
  (node && node.type === 'TemplateLiteral' && node.expressions.length === 0 ? node.quasis[0].value.cooked : null);

export const layersRule = {
  meta: { type: 'problem', docs: { description: 'Enforce the shared / electron / renderer layer rule' }, schema: [] },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const check = (node, specifier) => {
      if (specifier === null) return;
      const message = layerProblem(root, file, specifier);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (node) => check(node.source, literal(node.source)),
      ExportNamedDeclaration: (node) => node.source && check(node.source, literal(node.source)),
      ExportAllDeclaration: (node) => check(node.source, literal(node.source)),
      ImportExpression: (node) => check(node.source, staticText(node.source)),
      TSImportType: (node) =>
        check(node, node.argument?.type === 'TSLiteralType' ? literal(node.argument.literal) : null),
      TSExternalModuleReference: (node) => check(node, literal(node.expression)),
      CallExpression(node) {
        const callee = node.callee;
        const isRequire =
          (callee.type === 'Identifier' && callee.name === 'require') ||
          (callee.type === 'MemberExpression' &&
            callee.object.type === 'Identifier' &&
            callee.object.name === 'require' &&
            callee.property.name === 'resolve');
        if (isRequire) check(node, staticText(node.arguments[0]));
      },
    };
  },
};
