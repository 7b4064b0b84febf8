#!/usr/bin/env node
// The `lifeboat` command: runs the bundled CLI, building it first on a fresh checkout.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const cli = path.join(__dirname, '..', 'dist', 'electron', 'cli.cjs');
if (!fs.existsSync(cli)) {
  console.error(
    'lifeboat: the CLI is not built yet. Run `npm install` (which builds it) or `npm run build` in ' +
      path.join(__dirname, '..'),
  );
  process.exit(2);
}
require(cli)
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code ?? 0),
    (error) => {
      console.error(`lifeboat: ${error && error.message ? error.message : String(error)}`);
      process.exit(1);
    },
  );
