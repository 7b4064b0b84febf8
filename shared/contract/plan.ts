/** Contract entries for the plan: recovery order, readiness, impact, the map and the DR plan document. */
import { z } from 'zod';
import { method, Empty } from './define';
import { Id, Tier } from '../domain';
import { READINESS_CODES } from '../logic/readiness';
import { PROTECTION_GAPS } from '../logic/protection';

export const PLAN_FORMATS = ['html', 'md', 'pdf'] as const;
export const PlanFormat = z.enum(PLAN_FORMATS);
export type PlanFormat = z.infer<typeof PlanFormat>;

const Minutes = z.number().nonnegative();

export const RecoveryStep = z.object({
  step: z.int().positive(),
  serviceId: Id,
  name: z.string(),
  tier: Tier,
  rtoMinutes: Minutes,
  groupId: Id.nullable(),
  after: z.array(z.string()),
  unknownDependencies: z.array(z.int()),
  ownMinutes: Minutes.nullable(),
  expectedMinutes: Minutes.nullable(),
  undrilled: z.array(z.string()),
  withinRto: z.boolean().nullable(),
});

const ReadinessCode = z.enum(READINESS_CODES);
export const ReadinessReason = z.object({
  code: ReadinessCode,
  text: z.string(),
  fix: z.string(),
  penalty: z.number(),
  groupId: Id.nullable(),
});
export const ServiceReadiness = z.object({
  serviceId: Id,
  name: z.string(),
  tier: Tier,
  costPerHour: z.number().nullable(),
  score: z.number().min(0).max(100),
  reasons: z.array(ReadinessReason),
});
export const NextAction = z.object({
  code: ReadinessCode,
  text: z.string(),
  fix: z.string(),
  services: z.array(z.string()),
  tier: Tier,
  costPerHour: z.number(),
  points: z.number(),
});
export const Readiness = z.object({
  score: z.number().min(0).max(100),
  services: z.array(ServiceReadiness),
  next: z.array(NextAction),
  sources: z.object({ runbooks: z.boolean(), drills: z.boolean(), health: z.boolean() }),
});

export const OutageImpact = z.object({
  serviceId: Id,
  name: z.string(),
  tier: Tier,
  costPerHour: z.number().nullable(),
  alsoStops: z.array(z.string()),
  totalCostPerHour: z.number(),
  costUnknown: z.array(z.string()),
  recoveryMinutes: Minutes,
  basis: z.enum(['drill', 'rto']),
  expectedCost: z.number(),
});

export const UnprotectedService = z.object({
  serviceId: Id,
  name: z.string(),
  tier: Tier,
  gaps: z.array(z.enum(PROTECTION_GAPS)),
});
export const SinglePointOfFailure = z.object({
  serviceId: Id,
  name: z.string(),
  causes: z.array(z.object({ serviceId: Id, serviceName: z.string(), groupId: Id.nullable(), serverIds: z.array(Id) })),
});

export const PlanSummary = z.object({
  recoveryOrder: z.array(RecoveryStep),
  readiness: Readiness,
  impact: z.object({ services: z.array(OutageImpact), costPerHourAll: z.number() }),
  unprotected: z.array(UnprotectedService),
  singlePointsOfFailure: z.array(SinglePointOfFailure),
  /** The turnaround the business asked for, in minutes, when set. */
  targetMinutes: z.int().nullable(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const PlanRevision = z.object({
  id: Id,
  /** Plan revision number: goes up when the content hash changes, stays when re-exported unchanged. */
  number: z.int().positive(),
  createdAt: z.string(),
  format: PlanFormat,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  summary: z.string(),
});
export type PlanRevision = z.infer<typeof PlanRevision>;

export const PlanExport = z.object({
  format: PlanFormat,
  fileName: z.string(),
  /** The document: text for html and md, base64 for pdf. */
  content: z.string(),
  encoding: z.enum(['utf8', 'base64']),
  revision: z.int().positive(),
  hash: z.string(),
});
export type PlanExport = z.infer<typeof PlanExport>;

export const planMethods = {
  'plan.summary': method({
    input: Empty,
    output: PlanSummary,
    summary: 'Recovery order, readiness, business impact and unprotected services',
    mutates: false,
  }),
  'plan.map': method({
    input: Empty,
    output: z.object({ svg: z.string(), width: z.number(), height: z.number() }),
    summary: 'The dependency map as a self-contained SVG image',
    mutates: false,
  }),
  'plan.preview': method({
    input: Empty,
    output: z.object({ html: z.string(), revision: z.int().positive(), hash: z.string(), recorded: z.boolean() }),
    summary: 'The DR plan as HTML, without recording a revision',
    mutates: false,
  }),
  'plan.export': method({
    input: z.object({ format: PlanFormat }).strict(),
    output: PlanExport,
    summary: 'Export the DR plan as HTML, Markdown or PDF and record the revision',
    mutates: true,
  }),
  'plan.revisions': method({
    input: Empty,
    output: z.array(PlanRevision),
    summary: 'Every recorded export of the DR plan, newest first',
    mutates: false,
  }),
} as const;
