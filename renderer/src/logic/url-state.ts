// The patient and slice on screen live in the page's URL (beside the session token), so a reload or a shared
// link opens the same view.

export interface ViewLocation {
  caseId: string | null;
  slice: number | null;
}

/** Reads the view from a URL's query string. */
export function readViewLocation(search: string): ViewLocation {
  const params = new URLSearchParams(search);
  const slice = Number(params.get('slice'));
  return { caseId: params.get('patient'), slice: Number.isInteger(slice) && slice > 0 ? slice : null };
}

/** The same URL with the view's patient and slice set (other parameters, such as the token, kept). */
export function withViewLocation(href: string, view: ViewLocation): string {
  const url = new URL(href);
  if (view.caseId) url.searchParams.set('patient', view.caseId);
  else url.searchParams.delete('patient');
  if (view.slice) url.searchParams.set('slice', String(view.slice));
  else url.searchParams.delete('slice');
  return url.toString();
}
