/** Handlers for the plan methods: recovery order, readiness, the map and the DR plan document. */
import type { planMethods } from '../../shared/contract/plan';
import type { HandlersFor } from './handler-types';
import { exportPlanDocument, planMap, planRevisionList, planSummary, previewPlan } from '../plan/service';

export const planHandlers: HandlersFor<keyof typeof planMethods> = {
  'plan.summary': (ctx) => planSummary(ctx),
  'plan.map': (ctx) => planMap(ctx),
  'plan.preview': (ctx) => previewPlan(ctx),
  'plan.export': (ctx, input) => exportPlanDocument(ctx, input.format),
  'plan.revisions': (ctx) => planRevisionList(ctx),
};
