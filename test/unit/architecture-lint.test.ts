import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/sample-data.js';

const eslint = new ESLint({ cwd: REPO_ROOT });

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
