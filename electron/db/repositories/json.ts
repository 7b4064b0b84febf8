/** JSON columns hold small lists and records; parse them back defensively. */
export function fromJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
export const toJson = (value: unknown): string => JSON.stringify(value);
