#!/usr/bin/env node
// Fills the figure blocks (<!-- figures:NAME --> … <!-- /figures -->) in README.md, docs/*.md and the shipped models'
// READMEs from the model cards (resources/models/<name>/card.json), so a figure about a model is typed nowhere by
// hand and cannot drift from the card. Benchmark timings are not generated: docs/benchmarks.md is their one home and
// other pages link to it. Plain Node, no dependencies: the bundle scripts run it after writing a card.
//
// Usage: node scripts/figures.mjs [--check] [--root DIR]
//   (no flag)  rewrites every stale block and names the files it changed
//   --check    changes nothing; exits 1 naming each stale block (and 2 on a malformed or unknown block)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_BLOCKS } from './figures/bundled-blocks.mjs';
import { INTERACTIVE_BLOCKS } from './figures/interactive-blocks.mjs';
import { fillBlocks, findBlocks } from './figures/markers.mjs';

/** Every block the generator knows: name → [the card it reads, its renderer]. */
export const BLOCKS = { ...BUNDLED_BLOCKS, ...INTERACTIVE_BLOCKS };

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Markdown files that may hold blocks, relative to `root`. */
export function figureFiles(root) {
  const docs = readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  const modelsDir = path.join(root, 'resources/models');
  const models = existsSync(modelsDir)
    ? readdirSync(modelsDir).map((m) => `resources/models/${m}/README.md`).filter((f) => existsSync(path.join(root, f)))
    : [];
  return ['README.md', ...docs.sort(), ...models.sort()];
}

function readCards(root) {
  const cards = new Map();
  return (name) => {
    if (!cards.has(name)) {
      const file = path.join(root, 'resources/models', name, 'card.json');
      if (!existsSync(file)) throw new Error(`no card ${path.relative(root, file)}`);
      cards.set(name, JSON.parse(readFileSync(file, 'utf8')));
    }
    return cards.get(name);
  };
}

/**
 * Each file's text as it is and as the cards make it, with the blocks that differ. Throws on an unknown block name
 * or an unclosed block, naming the file and line.
 */
export function renderFigures(root = REPO_ROOT) {
  const card = readCards(root);
  return figureFiles(root).map((file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const render = (name, block) => {
      const known = BLOCKS[name];
      if (!known) throw new Error(`${file}:${block.line}: unknown block figures:${name} (known: ${Object.keys(BLOCKS).join(', ')})`);
      return known[1](card(known[0]));
    };
    const next = fillBlocks(text, file, render);
    const before = findBlocks(text, file);
    const after = findBlocks(next, file);
    const stale = before.filter((b, i) => text.slice(b.start, b.end) !== next.slice(after[i].start, after[i].end))
      .map((b) => `${file}:${b.line} figures:${b.name}`);
    return { file, text, next, stale };
  });
}

/** Rewrites the stale blocks under `root`; returns the files changed. */
export function writeFigures(root = REPO_ROOT) {
  const changed = renderFigures(root).filter((r) => r.next !== r.text);
  for (const r of changed) writeFileSync(path.join(root, r.file), r.next);
  return changed.map((r) => r.file);
}

/** The stale blocks under `root` ("README.md:412 figures:bundled-model-summary"); empty when all are current. */
export function staleFigures(root = REPO_ROOT) {
  return renderFigures(root).flatMap((r) => r.stale);
}

/**
 * Fills the blocks of one model folder's README from the card beside it (a bundle script's `--out` may be outside
 * the repository; cards it does not hold are read from the repository's).
 */
export function fillModelReadme(dir, root = REPO_ROOT) {
  const own = JSON.parse(readFileSync(path.join(dir, 'card.json'), 'utf8'));
  const repoCard = readCards(root);
  const file = path.join(dir, 'README.md');
  const render = (name, block) => {
    const known = BLOCKS[name];
    if (!known) throw new Error(`${file}:${block.line}: unknown block figures:${name}`);
    return known[1](known[0] === own.name ? own : repoCard(known[0]));
  };
  writeFileSync(file, fillBlocks(readFileSync(file, 'utf8'), file, render));
}

function main(args) {
  const rootArg = args.includes('--root') ? args[args.indexOf('--root') + 1] : null;
  const root = path.resolve(rootArg ?? REPO_ROOT);
  try {
    if (args.includes('--check')) {
      const stale = staleFigures(root);
      for (const s of stale) console.error(`stale: ${s} (run node scripts/figures.mjs)`);
      if (stale.length) return 1;
      console.log('figures: every block matches the model cards');
      return 0;
    }
    const changed = writeFigures(root);
    console.log(changed.length ? `figures: rewrote ${changed.join(', ')}` : 'figures: every block already matches the model cards');
    return 0;
  } catch (error) {
    console.error(`figures: ${error.message}`);
    return 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
