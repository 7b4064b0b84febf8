/**
 * Quoting and script building for remote commands. The rules are pure and live in
 * shared/quoting.ts so the renderer and the plan show exactly what runs; the SSH engine imports
 * them from here.
 */
export { Script, ShellWord, command, lines, sh, shellQuote, word, type ScriptPart } from '../../shared/quoting';
