import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/sample-data.js';

// The snippets below are virtual files outside the TypeScript project, so they are linted without the type-aware
// rules (the real tree gets those in \`npm test\`'s own lint run).
const eslint = new ESLint({
  cwd: REPO_ROOT,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off', '@typescript-eslint/await-thenable': 'off' },
  },
});

async function restrictedMessages(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('the core stays free of Electron and the DOM', () => {
  it('flags Electron, React, Konva and DOM globals in src/', async () => {
    expect(await restrictedMessages("import { app } from 'electron';\nexport const a = app;\n", 'src/x.ts')).toEqual([
      expect.stringMatching(/Electron-free core/),
    ]);
    expect(await restrictedMessages("import Konva from 'konva';\nexport const k = Konva;\n", 'src/ml/x.ts')).toHaveLength(1);
    expect(await restrictedMessages("import { x } from '../../renderer/app.js';\nexport const y = x;\n", 'src/a/x.ts')).toHaveLength(1);
    expect(await restrictedMessages('export const w = window.innerWidth;\n', 'src/x.ts')).toEqual([expect.stringMatching(/no DOM/)]);
  });

  it('allows Electron in electron/', async () => {
    expect(await restrictedMessages("import { app } from 'electron';\nexport const a = app;\n", 'electron/x.ts')).toEqual([]);
  });
});

describe('the layer table holds for the whole import graph', () => {
  /** Every import between parts of src/, as [from layer, to layer, file]. */
  async function coreEdges(): Promise<[string, string, string][]> {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { coreLayerOf } = await import('../../eslint.config.js');
    const src = path.join(REPO_ROOT, 'src');
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => f.split(path.sep).join('/'));
    return files.flatMap((file) => [...readFileSync(path.join(src, file), 'utf8').matchAll(/from '(\.[^']+)'/g)].flatMap((m) => {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)).replace(/\.js$/, '.ts');
      if (target.startsWith('..')) return [];
      const [from, to] = [coreLayerOf(file), coreLayerOf(target)];
      return from === to ? [] : [[from, to, file] as [string, string, string]];
    }));
  }

  it('every import between parts of src/ is one the table allows', async () => {
    const { CORE_LAYERS } = await import('../../eslint.config.js');
    const edges = await coreEdges();
    expect(edges.length).toBeGreaterThan(50);
    const layers = CORE_LAYERS as Record<string, string[]>;
    const wrong = edges.filter(([from, to]) => !layers[from]?.includes(to)).map(([from, to, file]) => `${file}: ${from} → ${to}`);
    expect(wrong).toEqual([]);
  });

  it('the table itself has no cycle (so neither has the graph)', async () => {
    const { CORE_LAYERS } = await import('../../eslint.config.js');
    const layers = CORE_LAYERS as Record<string, string[]>;
    const done = new Set<string>();
    const visit = (layer: string, trail: string[]): void => {
      expect(trail, `cycle: ${[...trail, layer].join(' → ')}`).not.toContain(layer);
      if (done.has(layer)) return;
      for (const next of layers[layer] ?? []) visit(next, [...trail, layer]);
      done.add(layer);
    };
    for (const layer of Object.keys(layers)) visit(layer, []);
  });

  it('lint flags an upward import in the core and any core import but the contract and src/editing in the page', async () => {
    expect(await restrictedMessages("import { trainUNet } from '../ml/train-loop.js';\nexport const t = trainUNet;\n", 'src/catalog/x.ts')).toEqual([
      expect.stringMatching(/src\/catalog may import only/),
    ]);
    expect(await restrictedMessages("import { startComputeJob } from '../compute/host.js';\nexport const s = startComputeJob;\n", 'src/ml/x.ts')).toHaveLength(1);
    expect(await restrictedMessages("import { createApiService } from '../server/handlers.js';\nexport const c = createApiService;\n", 'src/services/x.ts')).toHaveLength(1);
    expect(await restrictedMessages("import { JobQueue } from '../infrastructure/job-queue.js';\nexport const q = JobQueue;\n", 'src/catalog/x.ts')).toHaveLength(1);
    // The contract is the floor: not even the editor, nor any package but zod.
    expect(await restrictedMessages("import { Editor } from '../editing/editor.js';\nexport const E = Editor;\n", 'src/contract/x.ts')).toContainEqual(
      expect.stringMatching(/src\/contract may import only its own files/),
    );
    expect(await restrictedMessages("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/contract/x.ts')).toEqual([
      expect.stringMatching(/nothing but zod/),
    ]);
    expect(await restrictedMessages("import { z } from 'zod';\nimport { id } from './system.js';\nexport const a = z.array(id);\n", 'src/contract/x.ts')).toEqual([]);
    expect(await restrictedMessages("import { listPatients } from '../catalog/patients.js';\nexport const l = listPatients;\n", 'src/services/x.ts')).toEqual([]);
    // The page: even a type from elsewhere in the core is refused; the contract and the editor are allowed.
    expect(await restrictedMessages("import type { Slice } from '../../../src/catalog/types.js';\nexport type S = Slice;\n", 'renderer/src/x.ts')).toHaveLength(1);
    expect(await restrictedMessages("import type { RendererApi } from '../../../src/contract/index.js';\nexport type A = RendererApi;\n", 'renderer/src/x.ts')).toEqual([]);
    expect(await restrictedMessages("import { Editor } from '../../../src/editing/editor.js';\nexport const E = Editor;\n", 'renderer/src/x.ts')).toEqual([]);
  });
});
