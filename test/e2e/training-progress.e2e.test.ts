// A retrain as the training panel shows it, checked against the trainer's own events: a retrain is one epoch that
// its time budget ends, so the bar and the words must follow the run's clock against the budget, and its two
// validations (the starting model's before training, the one at the end) must be on the chart and written out,
// the last one equal to the registered model's validation Dice.
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPosition, type TrainingDone, type TrainingProgress } from '../../src/contract/index.js';
import { openCatalog } from '../../src/catalog/db.js';
import { importPath } from '../../src/importer/import.js';
import { resolveHome } from '../../src/home.js';
import { formatDice } from '../../renderer/src/logic/format.js';
import { artifactPath, chromiumAvailable, launchChromium, startServe, type ServeProcess } from '../helpers/browser.js';
import { runCli, runCliJson } from '../helpers/cli.js';
import { makeSampleSubset } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';

// Two small patients: the split puts one in validation, so the retrain has a baseline and a final validation.
const PATIENTS = ['TCGA_CS_6665_20010817', 'TCGA_CS_6667_20011105'];
const BUDGET_MINUTES = 0.2;
/** The chart's validation Dice colour (styles.css, `.chart circle.dice-point`): #4ade80. */
const DICE_GREEN = [0x4a, 0xde, 0x80] as const;
const run = chromiumAvailable();

interface Shown { text: string; fraction: string; endsBy: string | null }

describe.runIf(run)('training progress in the panel, against the trainer\'s events', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let home: string;
  const progress: TrainingProgress[] = [];
  const done: TrainingDone[] = [];

  beforeAll(async () => {
    home = resolveHome(tempDir.persistent()).root;
    const db = await openCatalog(resolveHome(home).catalog);
    await importPath(db, makeSampleSubset(tempDir.persistent(), PATIENTS));
    await db.destroy();
    // A tiny model to retrain, trained by the CLI: the retrain's parent, active.
    const trained = await runCli(home, ['train', '--from-scratch', '--preset', 'tiny', '--epochs', '1', '--steps', '4']);
    if (trained.code !== 0) throw new Error(`brainseg train failed: ${trained.stderr}`);
    serve = await startServe(home);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // The trainer's events, as the server sends them to the page.
    page.on('websocket', (ws) => ws.on('framereceived', (frame) => {
      const message = JSON.parse(String(frame.payload)) as { event?: string; payload?: unknown };
      if (message.event === 'training:progress') progress.push(message.payload as TrainingProgress);
      if (message.event === 'training:done') done.push(message.payload as TrainingDone);
    }));
    await page.goto(serve.url);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  const panel = () => page.getByRole('region', { name: 'Training' });
  /** The status words and the bar, read in one go: a render between two reads would mix two events. */
  const shown = (): Promise<Shown> => page.evaluate(() => {
    const section = document.querySelector('section[aria-label="Training"]')!;
    const bar = section.querySelector('progress')!;
    return {
      text: section.querySelector('[data-testid="training-status"]')?.textContent ?? '',
      fraction: bar.getAttribute('data-fraction') ?? '', endsBy: bar.getAttribute('data-ends-by'),
    };
  });
  /** Whether the panel shows exactly this event: its words first, its fraction on the bar, what ends the run. */
  const shows = (s: Shown, p: TrainingProgress) => {
    const position = runPosition(p);
    return s.text.startsWith(`${position.text} · `) && s.fraction === position.fraction.toFixed(3) && s.endsBy === position.endsBy;
  };

  it('follows the run\'s clock against the budget, and shows both validations where they happened', async () => {
    await expect.poll(() => panel().getByRole('button', { name: 'Retrain on edits' }).isEnabled(), { timeout: 60_000 }).toBe(true);
    await panel().getByLabel('Retrain budget (minutes)').fill(String(BUDGET_MINUTES));
    await panel().getByRole('button', { name: 'Retrain on edits' }).click();

    // While it runs, every state the panel shows is one of the trainer's events, rendered exactly.
    const samples: Shown[] = [];
    while (done.length === 0) {
      const s = await shown();
      if (progress.length > 0 && !s.text.startsWith('Starting')) samples.push(s);
      await page.waitForTimeout(150);
      if (samples.length > 2000) throw new Error('the retrain did not end');
    }
    expect(samples.length).toBeGreaterThan(5);
    const unexplained = samples.filter((s) => !progress.some((p) => shows(s, p)));
    expect(unexplained).toEqual([]);
    // Part-way, the bar stood between empty and full, on the budget's clock (loading and the baseline count too).
    const midway = samples.filter((s) => Number(s.fraction) > 0 && Number(s.fraction) < 1);
    expect(midway.length).toBeGreaterThan(0);
    expect(midway.every((s) => s.endsBy === 'time')).toBe(true);
    expect(midway[0]!.text).toMatch(/^(training|validating the starting model|loading patient \d of \d) · \d:\d\d of 0:12 min · /);
    expect(samples.some((s) => /^training · \d:\d\d of 0:12 min · step \d+ · /.test(s.text))).toBe(true);
    await panel().screenshot({ path: artifactPath('training-progress-done.png') });

    // At the end: the last event, whole; the budget ended the run, so the bar is full.
    const outcome = done[0]!;
    if (outcome.outcome !== 'trained') throw new Error(`the retrain did not train: ${JSON.stringify(outcome)}`);
    const last = progress[progress.length - 1]!;
    await expect.poll(async () => shows(await shown(), last)).toBe(true);
    expect(runPosition(last)).toMatchObject({ fraction: 1, endsBy: 'time' });

    // The validations: the parent's before training, the new model's at the step the budget ended it.
    const { json } = await runCliJson<{ models: { id: number; valDice: number | null }[] }>(home, ['models']);
    const registered = json.models.find((m) => m.id === outcome.modelId)!;
    expect(registered.valDice).not.toBeNull();
    expect(last.validations).toEqual([{ step: 0, valDice: outcome.baselineValDice }, { step: last.step, valDice: registered.valDice }]);
    expect(await panel().getByTestId('validation-results').textContent())
      .toBe(`Validation Dice: ${formatDice(outcome.baselineValDice)} before training → ${formatDice(registered.valDice)} at step ${last.step}`);
    // Drawn as points on the chart: the baseline on the left edge, the final one on the right, each at its height.
    const points = panel().locator('circle.dice-point');
    expect(await points.count()).toBe(2);
    const axis = await panel().locator('line.axis').first().evaluate((l) => ({ width: Number(l.getAttribute('x2')), height: Number(l.getAttribute('y1')) }));
    const point = async (i: number) => points.nth(i).evaluate((c) => ({
      x: Number(c.getAttribute('cx')), y: Number(c.getAttribute('cy')), dice: Number(c.getAttribute('data-dice')),
    }));
    const [baseline, final] = [await point(0), await point(1)];
    expect(baseline.x).toBe(0);
    expect(baseline.dice).toBe(outcome.baselineValDice);
    expect(baseline.y).toBeCloseTo(axis.height * (1 - outcome.baselineValDice!), 6);
    expect(final.x).toBeCloseTo(axis.width, 6);
    expect(final.dice).toBe(registered.valDice);
    expect(final.y).toBeCloseTo(axis.height * (1 - registered.valDice!), 6);
    // And a person sees them: each point's centre is painted the validation Dice's green.
    for (let i = 0; i < 2; i++) {
      const { data, info } = await sharp(await points.nth(i).screenshot()).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const centre = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * 3;
      const rgb = [data[centre]!, data[centre + 1]!, data[centre + 2]!];
      expect(Math.max(...rgb.map((v, c) => Math.abs(v - DICE_GREEN[c]!))), `point ${i}: rgb ${rgb.join(',')}`).toBeLessThan(24);
    }
  }, 300_000);
});
