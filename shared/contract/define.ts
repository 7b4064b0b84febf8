/** Building blocks for contract entries. */
import { z } from 'zod';
import { Id } from '../domain';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line for the CLI's help and the README. */
  summary: string;
  /** Methods that change the workspace broadcast `workspace.changed` after they succeed. */
  mutates: boolean;
}

export function method<I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> {
  return spec;
}

export const Empty = z.object({}).strict();
export const ById = z.object({ id: Id }).strict();
export const Deleted = z.object({ id: Id, deleted: z.literal(true) });
