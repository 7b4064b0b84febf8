/** The company settings form's fields as typed text, and how they become the API's inputs. */
import { z } from 'zod';
import { Settings } from '../../../../shared/domain';
import type { FieldIssue } from '../../../../shared/errors';
import { schemaIssues } from '../../components/form-issues';
import { parseNumber, parseOptionalNumber } from '../../components/format';

export interface SettingsFields {
  companyName: string;
  targetMinutes: string;
  drillMaxAgeDays: string;
}

/** Labels by field key, for the controls and the error summary. */
export const SETTINGS_LABELS: Record<keyof SettingsFields, string> = {
  companyName: 'Company name',
  targetMinutes: 'Recovery target (minutes)',
  drillMaxAgeDays: 'A good drill counts for (days)',
};

/** The same bounds as `drills.setMaxAge`'s input. */
const DrillMaxAge = z.object({
  days: z.int('whole days only').min(1, 'at least one day').max(3650, 'ten years (3650 days) at most'),
});

/** The fields from the saved settings and the drill age in force (null: not known yet). */
export function settingsFields(settings: Settings, drillMaxAgeDays: number | null): SettingsFields {
  return {
    companyName: settings.companyName,
    targetMinutes: settings.targetMinutes === null ? '' : String(settings.targetMinutes),
    drillMaxAgeDays: drillMaxAgeDays === null ? '' : String(drillMaxAgeDays),
  };
}

/** What `settings.save` takes; an empty target means none. */
export function settingsDraft(fields: SettingsFields): Settings {
  return { companyName: fields.companyName.trim(), targetMinutes: parseOptionalNumber(fields.targetMinutes) };
}

/** The drill age to save, or null when the field is left empty (the default stays). */
export function drillMaxAgeDraft(fields: SettingsFields): { days: number } | null {
  const days = parseNumber(fields.drillMaxAgeDays);
  return days === undefined ? null : { days };
}

/** Every problem with the typed values, on the fields' own keys. */
export function settingsIssues(fields: SettingsFields): FieldIssue[] {
  const drill = drillMaxAgeDraft(fields);
  const drillIssues =
    drill === null
      ? []
      : schemaIssues(DrillMaxAge, drill).map((issue) => ({ path: ['drillMaxAgeDays'], message: issue.message }));
  return [...schemaIssues(Settings.strict(), settingsDraft(fields)), ...drillIssues];
}
