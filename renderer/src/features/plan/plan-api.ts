/**
 * What the Plan screen needs from the API: one `call`. The screen takes it from the console's store;
 * tests and other hosts pass any object with the same `call` (for example an `Api`).
 */
import type { Api } from '../../../../shared/api-client';
import type { PlanExport } from '../../../../shared/contract/plan';

export type PlanApi = Pick<Api, 'call'>;

const MIME: Record<PlanExport['format'], string> = {
  html: 'text/html;charset=utf-8',
  md: 'text/markdown;charset=utf-8',
  pdf: 'application/pdf',
};

/** The exported document as bytes (PDF arrives base64-encoded, the others as text). */
export function exportBlob(result: PlanExport): Blob {
  if (result.encoding === 'utf8') return new Blob([result.content], { type: MIME[result.format] });
  const binary = atob(result.content);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: MIME[result.format] });
}

/** Offer an exported plan as a download under its suggested file name. */
export function downloadExport(result: PlanExport): void {
  const url = URL.createObjectURL(exportBlob(result));
  const link = document.createElement('a');
  link.href = url;
  link.download = result.fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the next tick; keep the URL a while for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** A data: URL for an SVG image: shown through <img>, it can run no script and load nothing. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
