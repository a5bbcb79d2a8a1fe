/** One figure block in a Markdown file. */
export interface FigureBlock { name: string; start: number; end: number; inline: boolean; indent: string; line: number }
/** Every block in `text`; throws, naming `file` and the line, on an unclosed block or an inline one opening a line. */
export function findBlocks(text: string, file: string): FigureBlock[];
/** `text` with each block's content replaced by `render(name, block)`. */
export function fillBlocks(text: string, file: string, render: (name: string, block: FigureBlock) => string): string;
