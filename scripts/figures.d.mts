/** Every block the generator knows: name → [the card it reads, its renderer]. */
export const BLOCKS: Record<string, [string, (card: unknown) => string]>;
/** The repository the script lives in. */
export const REPO_ROOT: string;
/** The Markdown files that may hold blocks, relative to `root`. */
export function figureFiles(root: string): string[];
/** Each file's text as it is and as the cards make it, with its stale blocks ("README.md:412 figures:NAME"). */
export function renderFigures(root?: string): { file: string; text: string; next: string; stale: string[] }[];
/** Rewrites the stale blocks under `root`; returns the files changed. */
export function writeFigures(root?: string): string[];
/** The stale blocks under `root`; empty when every block matches the cards. */
export function staleFigures(root?: string): string[];
/** Fills the blocks of one model folder's README from the card beside it. */
export function fillModelReadme(dir: string, root?: string): void;
