/** The colour themes the console offers (a leaf, so the state's types and the UI slice share it). */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
