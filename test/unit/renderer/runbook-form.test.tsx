/**
 * The runbook editor's generated forms (each action kind's parameters from its schema, never raw
 * JSON), its problems summarised with links that reach their fields, and the comparison with the
 * generated runbook. Rendered without a DOM (react-dom/server); the clicks are in the e2e test.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ACTION_KINDS, ACTION_PARAMS, DEFAULT_PROBE_MS } from '../../../shared/runbooks';
import { ServiceGroup } from '../../../shared/domain';
import { formatPath } from '../../../shared/errors';
import { fieldId, owningField } from '../../../renderer/src/components/form-issues';
import { ErrorSummary } from '../../../renderer/src/components/ErrorSummary';
import type { DraftForm } from '../../../renderer/src/components/use-draft-form';
import { StepEditor } from '../../../renderer/src/features/failover/StepEditor';
import {
  PARAM_FIELDS,
  actionTemplate,
  buildSteps,
  newActionStep,
  newManualStep,
  readableSteps,
  runbookLabels,
  stepFields,
  type RunbookFields,
  type StepFields,
} from '../../../renderer/src/features/failover/runbook-drafts';
import {
  choiceValues,
  labelOf,
  parseValues,
  valuesOf,
  type FieldSpec,
} from '../../../renderer/src/features/failover/schema-fields';
import { diffRunbook, diffSummary } from '../../../renderer/src/features/failover/runbook-diff';

const group = ServiceGroup.parse({
  id: 3,
  name: 'db',
  members: [
    { serverId: 21, role: 'primary' },
    { serverId: 22, role: 'standby' },
  ],
  processes: ['crm-app'],
  vips: [
    {
      address: '10.77.0.20',
      prefix: 24,
      interfaces: [
        { serverId: 21, interface: 'eth0' },
        { serverId: 22, interface: 'ens3' },
      ],
    },
  ],
  data: { kind: 'postgres', dataDir: '/srv/pgdata', database: 'crm' },
});
const members = [
  { serverId: 21, name: 'db-a' },
  { serverId: 22, name: 'db-b' },
];
const FORM = 'runbook';

function render(step: StepFields, index = 0, errors: Record<string, string[]> = {}): string {
  return renderToStaticMarkup(
    <StepEditor
      formId={FORM}
      index={index}
      step={step}
      members={members}
      diff={undefined}
      errorsFor={(key) => errors[key] ?? []}
      onTouch={() => {}}
      onChange={() => {}}
    />,
  );
}

/** The id a control of `key` must carry for the summary's link to reach it. */
const idOf = (key: string) => `id="${fieldId(FORM, key)}"`;

describe('the generated step forms', () => {
  it('renders a control for every parameter of every action kind, and no JSON text area', () => {
    for (const kind of ACTION_KINDS) {
      const html = render(newActionStep(kind, group, 22, 21, 'db-b'));
      const keys = Object.keys((ACTION_PARAMS[kind] as unknown as { shape: object }).shape);
      // sync.resume is the one kind without parameters (it acts on the group's own sync).
      if (kind !== 'sync.resume') expect(keys.length, kind).toBeGreaterThan(0);
      else expect(keys).toEqual([]);
      for (const key of keys) expect(html, `${kind} ${key}`).toContain(idOf(`steps[0].action.params.${key}`));
      expect(html).not.toMatch(/parameters<\/label>|>\s*\{/);
      expect(html).not.toContain('"address":');
      // The step's own fields come from its schema too.
      for (const key of ['title', 'serverId', 'timeoutSeconds', 'whenUnreachable'])
        expect(html, `${kind} ${key}`).toContain(idOf(`steps[0].${key}`));
    }
  });

  it('offers server references as a select of the group members by name', () => {
    const html = render(newActionStep('rsync.sync', group, 22, 21, 'db-b'));
    const select =
      new RegExp(`<select ${idOf('steps[0].action.params.sourceServerId')}[^>]*>(.*?)</select>`).exec(html)?.[1] ?? '';
    expect(select).toContain('<option value="21" selected="">db-a</option>');
    expect(select).toContain('<option value="22">db-b</option>');
    // A nullable reference may be left empty.
    const promote = render(newActionStep('postgres.promote', group, 22, 21, 'db-b'));
    expect(
      new RegExp(`<select ${idOf('steps[0].action.params.fenceServerId')}[^>]*><option value="">None</option>`).test(
        promote,
      ),
    ).toBe(true);
  });

  it('reads strings, numbers, yes/no, word choices, lists and nested choices from the schemas', () => {
    const kinds = (fields: readonly FieldSpec[]) => Object.fromEntries(fields.map((f) => [f.key, f.kind]));
    expect(kinds(PARAM_FIELDS['rsync.sync'])).toEqual({
      sourceServerId: 'server',
      vipAddress: 'text',
      paths: 'list',
      excludes: 'list',
      delete: 'boolean',
      previewOverwrites: 'boolean',
      maxDelete: 'number',
      sshUser: 'text',
      identityFile: 'text',
      knownHostsFile: 'text',
    });
    expect(kinds(PARAM_FIELDS['vip.acquire'])).toEqual({
      address: 'text',
      prefix: 'number',
      interface: 'text',
      probeMilliseconds: 'number',
    });
    expect(kinds(PARAM_FIELDS['wait.check'])).toEqual({
      check: 'choice',
      deadlineSeconds: 'number',
      intervalSeconds: 'number',
    });
    expect(kinds(PARAM_FIELDS['command.run'])).toEqual({ script: 'text', expectedExitCodes: 'list' });
    expect(PARAM_FIELDS['command.run'][0]).toMatchObject({ kind: 'text', multiline: true });
    expect(labelOf('probeMilliseconds')).toBe('Probe (milliseconds)');
    expect(labelOf('fenceServerId')).toBe('Fence server');

    // A probe kind switched keeps what fits (the port) and shows the new kind's fields.
    const wait = PARAM_FIELDS['wait.check'].find((f) => f.key === 'check')!;
    if (wait.kind !== 'choice') throw new Error('wait.check has a choice of probe');
    expect(choiceValues(wait, 'postgres-ready', { probe: 'tcp-listening', port: 6432 })).toEqual({
      probe: 'postgres-ready',
      port: '6432',
    });
    const step = newActionStep('wait.check', group, 22, 21, 'db-b');
    if (step.type !== 'action') throw new Error('an action step');
    const tcp = { ...step, params: { ...step.params, check: choiceValues(wait, 'tcp-listening', { port: 8080 }) } };
    expect(render(tcp)).toContain(idOf('steps[0].action.params.check.port'));
    expect(buildSteps([tcp]).steps[0]).toMatchObject({
      action: { params: { check: { probe: 'tcp-listening', port: 8080 } } },
    });
  });

  it('fills new steps from the group, valid as they are, and round-trips a saved step', () => {
    expect(actionTemplate('vip.acquire', group, 22, 21)).toEqual({
      address: '10.77.0.20',
      prefix: 24,
      interface: 'ens3',
      probeMilliseconds: DEFAULT_PROBE_MS,
    });
    const filled = ['vip.release', 'vip.acquire', 'postgres.promote', 'service.start', 'wait.check'] as const;
    const built = buildSteps(filled.map((kind) => newActionStep(kind, group, 22, 21, 'db-b')));
    expect(built.issues).toEqual([]);
    expect(built.steps[2]).toMatchObject({
      serverId: 22,
      action: {
        kind: 'postgres.promote',
        params: { dataDir: '/srv/pgdata', database: 'crm', fenceServerId: 21, fence: { kind: 'pg_ctl' } },
      },
    });
    for (const step of built.steps) expect(buildSteps([stepFields(step)]).steps[0]).toEqual(step);
  });
});

describe('problems summarised with links to their fields', () => {
  const steps = (): StepFields[] => {
    const acquire = newActionStep('vip.acquire', group, 22, 21, 'db-b');
    const manual = newManualStep();
    if (acquire.type !== 'action') throw new Error('an action step');
    return [
      { ...manual, fields: { ...manual.fields, expectedMinutes: 'five' } },
      newActionStep('command.run', group, 22, 21, 'db-b'),
      { ...acquire, params: { ...acquire.params, address: '10.77.0.300', probeMilliseconds: '10 ms' } },
    ];
  };

  it('keeps each problem on its own field, a number typed as words said once', () => {
    const { issues } = buildSteps(steps());
    const at = (path: string) => issues.filter((i) => formatPath(i.path) === path).map((i) => i.message);
    expect(at('steps[0].expectedMinutes')).toEqual(['a whole number, e.g. 5']);
    expect(at('steps[1].action.params.script')).toEqual(['the script is empty']);
    expect(at('steps[2].action.params.address')).toHaveLength(1);
    expect(at('steps[2].action.params.probeMilliseconds')).toEqual(['a whole number, e.g. 5']);
    expect(buildSteps([]).issues).toEqual([{ path: ['steps'], message: 'a runbook needs at least one step' }]);
  });

  it('lists a bad value in the summary as a link named for its field, and the field carries the id it targets', () => {
    const values = steps();
    const { issues } = buildSteps(values);
    const labels = runbookLabels(values);
    const form = { id: FORM, issues, failedAttempts: 1, formError: null } as unknown as DraftForm<RunbookFields>;
    const summary = renderToStaticMarkup(<ErrorSummary form={form} labels={labels} />);
    expect(summary).toContain('Nothing was saved: 4 problems to fix');
    expect(summary).toMatch(/<button type="button" class="link">Step 3 address: [^<]+<\/button>/);
    expect(summary).toContain('Step 1 expected (minutes): a whole number, e.g. 5</button>');
    expect(summary).toContain('Step 2 script: the script is empty</button>');
    // The link focuses the element whose id is the owning field's: the control itself.
    const owner = owningField('steps[2].action.params.address', Object.keys(labels));
    expect(owner).toBe('steps[2].action.params.address');
    const card = render(values[2], 2, { 'steps[2].action.params.address': ['not an IP address'] });
    expect(card).toMatch(new RegExp(`<input ${idOf(owner!)}[^>]*aria-invalid="true"`));
    expect(card).toContain('not an IP address');
  });
});

describe('the comparison with the generated runbook', () => {
  const generated = buildSteps([
    newManualStep(),
    newActionStep('vip.release', group, 21, 22, 'db-a'),
    newActionStep('postgres.promote', group, 22, 21, 'db-b'),
    newActionStep('vip.acquire', group, 22, 21, 'db-b'),
  ]).steps;

  it('says which steps were added, removed and changed, and in which fields', () => {
    expect(generated).toHaveLength(4);
    const edited = generated.map(stepFields);
    const acquire = edited[3];
    if (acquire.type !== 'action') throw new Error('an action step');
    edited[3] = { ...acquire, params: { ...acquire.params, probeMilliseconds: '1000' } };
    edited.splice(1, 1);
    edited.push(newActionStep('service.start', group, 22, 21, 'db-b'));
    const diff = diffRunbook(generated, readableSteps(edited));
    expect(diff.map((d) => [d.status, d.index, d.generatedIndex])).toEqual([
      ['same', 0, 0],
      ['removed', null, 1],
      ['same', 1, 2],
      ['changed', 2, 3],
      ['added', 3, null],
    ]);
    expect(diff[3].changes).toEqual(['action.params.probeMilliseconds']);
    expect(diffSummary(diff)).toBe('1 added, 1 removed, 1 changed');
    expect(diffSummary(diffRunbook(generated, generated))).toBeNull();
  });
});

describe('a nested object parameter (the listen step holder)', () => {
  const fields = PARAM_FIELDS['vip.listen'];
  const holderSpec = fields.find((f) => f.key === 'holder');

  it('is a nested form of its own fields, not a text box', () => {
    expect(holderSpec?.kind).toBe('object');
    const step = newActionStep('vip.listen', group, 22, 21, 'db-b');
    if (step.type !== 'action') throw new Error('an action step');
    const html = render({
      ...step,
      params: valuesOf(fields, {
        address: '10.77.0.20',
        interface: 'ens3',
        holder: { serverId: 21, interface: 'eth0' },
        listenMilliseconds: 1200,
      }),
    });
    expect(html).toContain(idOf('steps[0].action.params.holder.serverId'));
    expect(html).toContain(idOf('steps[0].action.params.holder.interface'));
    expect(html).not.toContain('[object Object]');
  });

  it('round-trips a holder, and "no holder" gives null', () => {
    const held = {
      address: '10.77.0.20',
      interface: 'eth0',
      holder: { serverId: 21, interface: 'eth0' },
      listenMilliseconds: 1200,
    };
    expect(parseValues(fields, valuesOf(fields, held)).value).toEqual(held);
    const none = { ...held, holder: null };
    expect(parseValues(fields, valuesOf(fields, none)).value).toEqual(none);
    expect(ACTION_PARAMS['vip.listen'].safeParse(parseValues(fields, valuesOf(fields, held)).value).success).toBe(true);
  });

  it('reports a bad server inside the holder at the nested field', () => {
    const values = valuesOf(fields, {
      address: '10.77.0.20',
      interface: 'eth0',
      holder: { serverId: 21, interface: 'eth0' },
      listenMilliseconds: 1200,
    });
    const bad = { ...values, holder: { ...(values.holder as object), serverId: 'x' } };
    expect(parseValues(fields, bad).issues.map((i) => formatPath(i.path))).toEqual(['holder.serverId']);
  });
});
