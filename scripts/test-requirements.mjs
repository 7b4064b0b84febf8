// The first step of `npm test`: stop at once, with one message, when the Debian packages the tests
// need are missing (rather than dozens of tests failing one by one). `sudo npm run setup` installs them.
import { missingMessage, missingPackages } from './system-packages.mjs';

const missing = missingPackages();
if (missing.length) {
  console.error(missingMessage(missing));
  process.exitCode = 1;
}
