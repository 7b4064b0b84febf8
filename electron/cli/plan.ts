/** `lifeboat plan`: export the disaster-recovery plan to a file. */
import { InvalidArgumentError, type Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { PLAN_FORMATS, type PlanFormat } from '../../shared/contract/plan';
import type { CliEnv } from './env';

function parseFormat(value: string): PlanFormat {
  if (!(PLAN_FORMATS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`choose one of: ${PLAN_FORMATS.join(', ')}`);
  return value as PlanFormat;
}

/** Write a file whole or not at all: a temporary file next to it, then a rename. */
function writeAtomically(file: string, data: string | Buffer): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  try {
    fs.writeFileSync(tmp, data, { mode: 0o644 });
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

export function registerPlanCommands(program: Command, env: CliEnv): void {
  program
    .command('plan')
    .description('export the disaster-recovery plan (records a plan revision)')
    .option('--format <format>', `one of: ${PLAN_FORMATS.join(', ')}`, parseFormat, 'pdf' as PlanFormat)
    .option('--out <file>', 'where to write (default: the suggested file name in the current directory)')
    .action((opts: { format: PlanFormat; out?: string }) =>
      env.withApp(async (app) => {
        const result = await env.call(app, 'plan.export', { format: opts.format });
        const out = path.resolve(opts.out ?? result.fileName);
        writeAtomically(out, result.encoding === 'base64' ? Buffer.from(result.content, 'base64') : result.content);
        env.io.out(`wrote ${out} (revision ${result.revision}, sha256 ${result.hash.slice(0, 16)}…)`);
      }),
    );
}
