/** The example company with hostile text in every free-text field the schema lets through. */
import type { PlanDocumentInput } from '../../../shared/plan-file';
import { exampleCompany } from '../../../shared/example-company';

export const SCRIPT = '<script>alert(1)</script>';
export const BREAKOUT = '"><img src=x onerror=alert(2)>';
export const HOSTILE = `${SCRIPT}${BREAKOUT}`;

/** Every text field of the example company carries both attacks (names keep a unique prefix). */
export function hostileCompany(): PlanDocumentInput {
  const plan = exampleCompany() as Required<PlanDocumentInput> & Record<string, unknown>;
  const bad = (text: string) => `${text} ${HOSTILE}`.slice(0, 80);
  const rename = new Map<string, string>();
  const services = (plan.services as Record<string, unknown>[]).map((s): Record<string, unknown> => {
    rename.set(s.name as string, bad(s.name as string));
    return {
      ...s,
      name: bad(s.name as string),
      description: HOSTILE,
      workaround: HOSTILE,
      hostedBy: s.hostedBy ? HOSTILE : '',
    };
  });
  const contacts = (plan.contacts as Record<string, unknown>[]).map((c) => ({
    ...c,
    name: bad(c.name as string),
    role: HOSTILE,
    organisation: HOSTILE,
    notes: HOSTILE,
  }));
  const contactNames = new Map(
    (plan.contacts as Record<string, unknown>[]).map((c, i) => [c.name as string, contacts[i].name]),
  );
  return {
    ...plan,
    company: { companyName: HOSTILE, targetMinutes: 30 },
    sites: [{ name: 'Head office', address: HOSTILE, notes: HOSTILE }],
    contacts,
    servers: (plan.servers as Record<string, unknown>[]).map((s) => ({
      ...s,
      role: HOSTILE,
      hardware: HOSTILE,
      power: HOSTILE,
      notes: HOSTILE,
      support: { vendor: HOSTILE, contract: HOSTILE, phone: '+44 20 7946 0999', hours: HOSTILE },
    })),
    groups: (plan.groups as Record<string, unknown>[]).map((g) =>
      g.name === 'files'
        ? { ...g, description: HOSTILE, data: { kind: 'rsync', paths: ['/srv/files'], excludes: [HOSTILE] } }
        : g.name === 'pbx'
          ? {
              ...g,
              description: HOSTILE,
              data: { kind: 'backup-restore', backupPath: '/srv/backup', restoreCommand: HOSTILE },
            }
          : { ...g, description: HOSTILE },
    ),
    services: services.map((s) => ({
      ...s,
      owner: s.owner ? contactNames.get(s.owner as string) : null,
      dependsOn: ((s.dependsOn as string[] | undefined) ?? []).map((d) => rename.get(d)!),
    })),
  } as PlanDocumentInput;
}
