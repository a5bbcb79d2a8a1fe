// The figures in README.md, docs/ and the model READMEs are generated from the model cards by scripts/figures.mjs
// (issue #30 item 9). This fails when a block no longer matches its card — a card replaced without rerunning the
// generator, or a figure edited by hand — and shows that editing a card's number is caught, on a temp copy.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillModelReadme, REPO_ROOT, renderFigures, staleFigures, writeFigures } from '../../scripts/figures.mjs';
import { fillBlocks } from '../../scripts/figures/markers.mjs';
import { tempDir } from '../helpers/temp.js';

/** A copy of the pages and cards the generator reads (no weights). */
function copyDocs(): string {
  const root = tempDir('brainseg-figures-');
  const copy = (rel: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, rel), path.join(root, rel));
  };
  copy('README.md');
  for (const f of readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md'))) copy(`docs/${f}`);
  for (const m of readdirSync(path.join(REPO_ROOT, 'resources/models'))) {
    copy(`resources/models/${m}/card.json`);
    copy(`resources/models/${m}/README.md`);
  }
  return root;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
function editCard(root: string, name: string, edit: (card: Json) => void) {
  const file = path.join(root, 'resources/models', name, 'card.json');
  const card = JSON.parse(readFileSync(file, 'utf8')) as Json;
  edit(card);
  writeFileSync(file, JSON.stringify(card, null, 2));
}
/** A block's content with its line breaks as spaces (the generator wraps prose). */
function block(text: string, name: string): string {
  const start = text.indexOf(`<!-- figures:${name} -->`);
  return text.slice(start, text.indexOf('<!-- /figures -->', start)).replace(/\s+/g, ' ');
}

describe('figures generated from the model cards', () => {
  it('every block in README.md, docs/ and the model READMEs matches the cards (else: node scripts/figures.mjs)', () => {
    expect(staleFigures(REPO_ROOT)).toEqual([]);
    const used = renderFigures(REPO_ROOT).flatMap((r) => [...r.text.matchAll(/<!-- figures:([a-z0-9-]+) -->/g)].map((m) => m[1]));
    // The pages that quote each model's headline figures do so through blocks.
    expect(used).toEqual(expect.arrayContaining(['bundled-model-summary', 'bundled-model-validation', 'interactive-click-summary', 'interactive-model-click-curve']));
  });

  it('a number changed in the bundled card makes the check name each block that quotes it, and a rewrite fixes them', () => {
    const root = copyDocs();
    expect(staleFigures(root)).toEqual([]);
    editCard(root, 'lgg-unet-fast', (card) => { card.validationMeanDice = 0.81234; });
    const stale = staleFigures(root);
    for (const where of ['README.md', 'docs/training.md', 'docs/formats.md', 'resources/models/lgg-unet-fast/README.md']) {
      expect(stale.some((s) => s.startsWith(`${where}:`))).toBe(true);
    }
    expect(stale.some((s) => s.endsWith('figures:bundled-model-summary'))).toBe(true);
    // Blocks that do not print the mean are not flagged.
    expect(stale.some((s) => s.endsWith('figures:bundled-model-epochs') || s.endsWith('figures:interactive-model-click-curve'))).toBe(false);

    expect(writeFigures(root)).toContain('README.md');
    expect(staleFigures(root)).toEqual([]);
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(block(readme, 'bundled-model-summary')).toContain('**mean 0.812, median 0.843**');
    expect(readme).toContain('<!-- figures:bundled-model-headline -->0.812 mean per-volume Dice on the other 20<!-- /figures -->');
  });

  it('takes whatever click curve the interactive card holds, and judges the aims from it', () => {
    const root = copyDocs();
    editCard(root, 'lgg-unet-interactive', (card) => {
      const curve = card.clickCurve;
      delete curve.clicks['2'];
      curve.clicks['3'].lesionSliceDice = 0.8812;
      curve.clicks['5'].lesionSliceDice = 0.8994; // short of its aim, 0.90
      curve.clicks['10'] = { lesionSliceDice: 0.9301, volumeDice: 0.95, slicesBelowAutomatic: 0 };
      curve.propagated = null;
    });
    expect(staleFigures(root)).toEqual(expect.arrayContaining([expect.stringMatching(/^docs\/training\.md:\d+ figures:interactive-model-click-curve$/)]));
    writeFigures(root);
    const training = block(readFileSync(path.join(root, 'docs/training.md'), 'utf8'), 'interactive-model-click-curve');
    expect(training).toContain('| 10 | 0.930 | 0.950 | 0 |');
    expect(training).not.toContain('| 2 | 0.846');
    expect(training).toContain('met after one and three clicks; not met after five clicks');
    expect(training).toContain('Propagation was not scored.');
    const readme = block(readFileSync(path.join(root, 'README.md'), 'utf8'), 'interactive-click-summary');
    expect(readme).toContain('0.881 after three clicks');
    expect(readme).toContain('0.930 after ten clicks');
  });

  it('refuses an unknown block, an unclosed one and an inline one that opens its line, naming file and line', () => {
    const root = copyDocs();
    const page = path.join(root, 'docs/architecture.md');
    const original = readFileSync(page, 'utf8');
    writeFileSync(page, `${original}\n<!-- figures:no-such-block -->\n<!-- /figures -->\n`);
    expect(() => staleFigures(root)).toThrow(/docs\/architecture\.md:\d+: unknown block figures:no-such-block/);
    writeFileSync(page, `${original}\n<!-- figures:bundled-model-epochs -->\nthe end\n`);
    expect(() => staleFigures(root)).toThrow(/figures:bundled-model-epochs has no closing/);
    writeFileSync(page, `${original}\n<!-- figures:bundled-model-headline -->0.8<!-- /figures --> opens the line\n`);
    expect(() => staleFigures(root)).toThrow(/inline figures:bundled-model-headline opens its line/);
    expect(readFileSync(page, 'utf8')).toContain('opens the line'); // nothing rewritten on an error
  });

  it("fills a bundle's README from the card beside it, as a bundle script with --out outside the repository does", () => {
    const out = tempDir('brainseg-bundle-out-');
    const card = JSON.parse(readFileSync(path.join(REPO_ROOT, 'resources/models/lgg-unet-fast/card.json'), 'utf8')) as Json;
    card.validationMeanDice = 0.9;
    card.validationPatients = card.validationPatients.slice(0, 3);
    delete card.flairOnly;
    writeFileSync(path.join(out, 'card.json'), JSON.stringify(card));
    writeFileSync(path.join(out, 'README.md'), '# x\n\n<!-- figures:bundled-model-card -->\n<!-- /figures -->\n\n' +
      '<!-- figures:bundled-model-patients-full -->\n<!-- /figures -->\n');
    fillModelReadme(out);
    const readme = readFileSync(path.join(out, 'README.md'), 'utf8');
    expect(readme).toContain('per-volume Dice **mean 0.900, median 0.843** over 3 patients');
    expect(readme).not.toContain('FLAIR only');
    expect(readme.match(/^\| TCGA_/gm)).toHaveLength(3);
    expect(staleFigures(REPO_ROOT)).toEqual([]); // the repository's pages are untouched
  });

  it('indents a block inside a list item as its marker is, and keeps inline blocks on their line', () => {
    const text = '- item\n  <!-- figures:a -->\n  old\n  <!-- /figures -->\n- next <!-- figures:b -->1<!-- /figures --> end\n';
    const out = fillBlocks(text, 'x.md', (name) => (name === 'a' ? 'line one\n\nline two' : '2'));
    expect(out).toBe('- item\n  <!-- figures:a -->\n  line one\n\n  line two\n  <!-- /figures -->\n- next <!-- figures:b -->2<!-- /figures --> end\n');
  });
});
