/** Adding servers from an SSH client config: the chosen Host entries of `hosts.importSshConfig`'s proposal. */
import { z } from 'zod';
import { method } from './define';
import { Id } from '../domain';

const Alias = z.string().min(1, 'name a Host alias').max(200, 'a Host alias of 200 characters at most');

export const sshImportMethods = {
  'servers.importSshConfig': method({
    input: z
      .object({
        text: z.string().max(1024 * 1024, 'an SSH config of 1 MiB at most'),
        aliases: z.array(Alias).min(1, 'choose at least one Host to add').max(500, '500 Hosts at most at once'),
      })
      .strict(),
    output: z.object({
      saved: z.array(z.object({ alias: z.string(), serverId: Id, name: z.string(), jump: z.string().nullable() })),
    }),
    summary: 'Add the chosen Host entries of an SSH config as servers, jump hosts first (all or nothing)',
    mutates: true,
  }),
} as const;
