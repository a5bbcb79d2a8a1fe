// Finds and refills the generated-figure blocks in a Markdown file. Two forms, both invisible once rendered:
//
//   a block, its markers on lines of their own (tables, paragraphs; indented to sit inside a list item):
//     <!-- figures:NAME -->
//     …generated lines…
//     <!-- /figures -->
//   inline, inside a line (a table cell, part of a sentence):  … <!-- figures:NAME -->0.847<!-- /figures --> …
//
// An inline marker must not open a line: CommonMark would take the whole line as raw HTML and stop rendering it.

const OPEN = /<!-- figures:([a-z0-9-]+) -->/g;
const CLOSE = '<!-- /figures -->';

/** Every block in `text`: its name, where its content starts and ends, whether inline, and its indentation. */
export function findBlocks(text, file) {
  const blocks = [];
  for (const match of text.matchAll(OPEN)) {
    const name = match[1];
    const start = match.index + match[0].length;
    const end = text.indexOf(CLOSE, start);
    const line = text.slice(0, match.index).split('\n').length;
    if (end < 0) throw new Error(`${file}:${line}: figures:${name} has no closing ${CLOSE}`);
    const nested = text.slice(start, end).search(OPEN);
    if (nested >= 0) throw new Error(`${file}:${line}: figures:${name} is not closed before the next block opens`);
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    const before = text.slice(lineStart, match.index);
    const inline = before.trim() !== '' || !text.startsWith('\n', start);
    if (inline && before.trim() === '') {
      throw new Error(`${file}:${line}: inline figures:${name} opens its line; put text before it or the markers on lines of their own`);
    }
    blocks.push({ name, start, end, inline, indent: inline ? '' : before, line });
  }
  return blocks;
}

/** `text` with each block's content replaced by `render(name, block)`; block content is indented as its marker. */
export function fillBlocks(text, file, render) {
  let out = '';
  let at = 0;
  for (const block of findBlocks(text, file)) {
    const content = render(block.name, block);
    if (block.inline && content.includes('\n')) throw new Error(`${file}:${block.line}: figures:${block.name} spans lines; it cannot be inline`);
    // GFM takes any line right after a table as one more row, the closing marker too: a blank line ends the table.
    const afterTable = /^\|.*\|$/.test(content.split('\n').at(-1)) ? '\n' : '';
    const body = block.inline
      ? content
      : `\n${content.split('\n').map((l) => (l === '' ? '' : block.indent + l)).join('\n')}\n${afterTable}${block.indent}`;
    out += text.slice(at, block.start) + body;
    at = block.end;
  }
  return out + text.slice(at);
}
