import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayloads, MaskSaveResult } from '../../src/contract/index.js';
import { decodeImage } from '../../src/imaging/decode.js';
import { openCatalog, type CatalogDb } from '../../src/catalog/db.js';
import { currentMaskVersion, listMaskVersions, readCurrentMask } from '../../src/catalog/masks.js';
import { findPatientByCaseId } from '../../src/catalog/patients.js';
import { findSlice } from '../../src/catalog/slices.js';
import { connectApi, type ApiClient } from '../../src/server/api-client.js';
import { artifactPath, chromiumAvailable, launchChromium, shownSliceNumber, sliceCaption, startServe, type ServeProcess } from '../helpers/browser.js';
import { mismatches, opaquePixels, readDrawnLayer } from '../helpers/drawn-overlay.js';
import { addTeamMember, freshPostgresUrl, postgresAvailable } from '../helpers/postgres.js';
import { samplePatientFolder } from '../helpers/sample-data.js';
import { tempDir } from '../helpers/temp.js';
import { startWorker } from '../helpers/worker.js';

// Team mode: two workstations (two `brainseg serve` processes with data folders of their own) on one PostgreSQL
// catalog, each person connecting as their own database role. What one does, the other sees.

const PATIENT = 'TCGA_CS_6665_20010817';
const SECOND = 'TCGA_HT_7473_19970826';
const SIZE = { width: 256, height: 256 };

/** A filled disc on an empty 256² mask: a stroke as the page would save it. */
function disc(cx: number, cy: number, r: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(SIZE.width * SIZE.height);
  for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * SIZE.width + x] = 1;
  return data;
}

describe.skipIf(!postgresAvailable || !chromiumAvailable())('team mode: two workstations on one PostgreSQL catalog', () => {
  let owner: CatalogDb;
  let ownerUrl: string;
  let ana: string;
  let ben: string;
  let workstationA: ServeProcess;
  let workstationB: ServeProcess;
  let clientA: ApiClient;
  let clientB: ApiClient;
  let browser: Browser;
  let page: Page; // Ben's screen

  beforeAll(async () => {
    const url = (ownerUrl = await freshPostgresUrl());
    owner = await openCatalog(url); // the owner creates the schema and the team's roles
    const annotator = await addTeamMember(owner, url, 'ana', 'brainseg_annotator');
    const reviewer = await addTeamMember(owner, url, 'ben', 'brainseg_reviewer');
    [ana, ben] = [annotator.role, reviewer.role];
    const env = { BRAINSEG_BUNDLED_MODEL: 'none' };
    workstationA = await startServe(tempDir.persistent(), ['--database', annotator.url], env);
    workstationB = await startServe(tempDir.persistent(), ['--database', reviewer.url], env);
    [clientA, clientB] = await Promise.all([connectApi(workstationA.url), connectApi(workstationB.url)]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(workstationB.url);
  }, 120_000);

  afterAll(async () => {
    clientA?.close();
    clientB?.close();
    await browser?.close();
    await workstationA?.stop();
    await workstationB?.stop();
    await owner?.destroy();
  });

  it('lists at one workstation the patient imported at the other', async () => {
    const announced = new Promise((resolve) => clientB.on('catalog:changed', (change) => change.kind === 'patients' && resolve(change)));
    const report = await clientA.request('import:path', { path: samplePatientFolder(PATIENT) });
    expect(report.patients).toBe(1);
    await announced;
    expect((await clientB.request('catalog:list-patients', {})).map((p) => p.caseId)).toEqual([PATIENT]);
    // Ben's page lists it without a reload.
    await expect.poll(() => page.locator(`tr[data-case-id="${PATIENT}"]`).count(), { timeout: 10_000 }).toBe(1);
  });

  it("redraws the open view when the other annotator saves the slice on screen, and names the author", async () => {
    await page.locator(`tr[data-case-id="${PATIENT}"]`).click();
    await expect.poll(() => sliceCaption(page), { timeout: 15_000 }).toContain(PATIENT);
    const number = await shownSliceNumber(page);
    const slice = (await findSlice(owner, (await findPatientByCaseId(owner, PATIENT))!.id, number))!;
    const drawn = async () => opaquePixels(await readDrawnLayer(page, 'mask', SIZE), SIZE.width * SIZE.height);
    const before = await drawn();

    const sent = Date.now();
    const saved = await clientA.request('masks:save', { sliceId: slice.id, ...SIZE, data: disc(90, 110, 20), operation: 'brush', baseVersionId: (await currentMaskVersion(owner, slice.id))!.id });
    expect(saved.version.author).toBe(ana); // the database role Ana connected as
    const truth = (await readCurrentMask(owner, slice.id, SIZE.width, SIZE.height)).data;
    expect(mismatches(before, truth)).toBeGreaterThan(0);
    await expect.poll(async () => mismatches(await drawn(), truth), { timeout: 10_000, message: "Ben's view vs Ana's stored mask" }).toBe(0);
    writeFileSync(artifactPath('team-live-update.json'), JSON.stringify({ secondsUntilDrawn: (Date.now() - sent) / 1000 }));
    await expect.poll(() => page.locator('tr[data-version-id]').first().textContent()).toContain(ana);
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 10_000 }).toContain(`${ana} saved slice ${number}`);
  });

  it('keeps both versions when two people save one slice at once, and tells the later one', async () => {
    const slice = (await findSlice(owner, (await findPatientByCaseId(owner, PATIENT))!.id, 5))!;
    const base = (await currentMaskVersion(owner, slice.id))!.id;
    const [a, b] = await Promise.all([
      clientA.request('masks:save', { sliceId: slice.id, ...SIZE, data: disc(60, 60, 10), operation: 'brush', baseVersionId: base }),
      clientB.request('masks:save', { sliceId: slice.id, ...SIZE, data: disc(160, 160, 10), operation: 'brush', baseVersionId: base }),
    ]);
    const [first, later] = (a.version.id < b.version.id ? [a, b] : [b, a]) as [MaskSaveResult, MaskSaveResult];
    expect(first.concurrent).toEqual([]);
    expect(later.concurrent.map((v) => v.id)).toEqual([first.version.id]);
    expect(later.version.parentId).toBe(first.version.id);
    const kept = await listMaskVersions(owner, slice.id);
    expect(kept.slice(0, 2).map((v) => [v.id, v.author])).toEqual([[later.version.id, later.version.author], [first.version.id, first.version.author]]);
    expect(new Set([a.version.author, b.version.author])).toEqual(new Set([ana, ben]));
  });

  it('tells the radiologist on screen when someone saved the slice under a stroke, and loses neither', async () => {
    const number = await shownSliceNumber(page);
    const slice = (await findSlice(owner, (await findPatientByCaseId(owner, PATIENT))!.id, number))!;
    await page.getByTestId('viewer').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('b');
    const box = (await page.getByTestId('viewer').boundingBox())!;
    const y = box.y + box.height / 2 + 60;
    await page.mouse.move(box.x + box.width / 2 - 80, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, y, { steps: 6 });
    // Mid-stroke, Ana saves the same slice; Ben's page hears of it but keeps his stroke.
    const theirs = await clientA.request('masks:save', { sliceId: slice.id, ...SIZE, data: disc(200, 60, 15), operation: 'brush', baseVersionId: (await currentMaskVersion(owner, slice.id))!.id });
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 10_000 }).toContain(`${ana} saved slice ${number}`);
    await page.mouse.move(box.x + box.width / 2 + 80, y, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => page.getByTestId('toast').textContent(), { timeout: 10_000 }).toContain(`${ana} saved slice ${number}`);
    await expect.poll(() => page.getByTestId('toast').textContent(), { timeout: 10_000 }).toContain('Both versions are kept');
    const versions = await listMaskVersions(owner, slice.id);
    expect(versions[0]).toMatchObject({ author: ben, parentId: theirs.version.id });
    expect(versions[1]!.id).toBe(theirs.version.id);
    await expect.poll(() => page.locator('tr[data-version-id]').nth(1).getAttribute('data-version-id')).toBe(String(theirs.version.id));
  });

  it("lets a reviewer approve another's mask — shown in the strip — and refuses an annotator's approval", async () => {
    const patientId = (await findPatientByCaseId(owner, PATIENT))!.id;
    const slice = (await findSlice(owner, patientId, 7))!;
    const anas = await clientA.request('masks:save', { sliceId: slice.id, ...SIZE, data: disc(128, 128, 12), operation: 'brush' });
    await page.locator('[data-slice-number="7"]').click();
    await expect.poll(() => shownSliceNumber(page)).toBe(7);
    // No click on the viewer first: the brush is still the tool, and a click would paint Ben's own version of the
    // slice, which he may not approve (keys reach the command table wherever the focus is, short of a field).
    await page.keyboard.press('r');
    await expect.poll(() => page.locator('[data-slice-number="7"]').getAttribute('data-approved-by'), { timeout: 10_000 }).toBe(ben);
    // Ana's workstation sees Ben's approval of her version, and the patient's approved count.
    const listed = (await clientA.request('catalog:list-slices', { patientId })).find((s) => s.id === slice.id)!;
    expect(listed.approval).toMatchObject({ versionId: anas.version.id, reviewer: ben });
    expect((await clientA.request('catalog:list-patients', {})).find((p) => p.id === patientId)?.approvedSlices).toBe(1);
    // Ana is an annotator: the database refuses her approval of Ben's version.
    const other = (await findSlice(owner, patientId, 8))!;
    await clientB.request('masks:save', { sliceId: other.id, ...SIZE, data: disc(100, 100, 9), operation: 'brush' });
    await expect(clientA.request('masks:approve', { sliceId: other.id })).rejects.toThrow(/only a reviewer may approve/);
  });

  it("reads another workstation's imported images, and a worker's trained model, from the database, not from its disk", async () => {
    // Imported at A from a folder that then disappears: B has never had these files.
    const folder = path.join(tempDir.persistent(), SECOND);
    cpSync(samplePatientFolder(SECOND), folder, { recursive: true });
    expect((await clientA.request('import:path', { path: folder })).patients).toBe(1);
    rmSync(folder, { recursive: true });
    const patient = (await clientB.request('catalog:list-patients', {})).find((p) => p.caseId === SECOND)!;
    const [first] = await clientB.request('catalog:list-slices', { patientId: patient.id });
    const image = await clientB.request('slices:get-image', { sliceId: first!.id });
    const original = await decodeImage(readFileSync(path.join(samplePatientFolder(SECOND), `${SECOND}_${first!.number}.tif`)));
    expect(image.data).toEqual(original.data);

    // A asks for a training, a worker (a data folder of its own) runs it; B predicts with the new model, whose
    // weights exist only in the worker's data folder and the catalog.
    const worker = await startWorker(ownerUrl);
    const trained = new Promise<EventPayloads['training:done']>((resolve) => clientA.on('training:done', resolve));
    await clientA.request('training:start', { fromScratch: true, preset: 'tiny', epochs: 1 });
    const done = await trained.finally(() => worker.kill());
    expect(done).toMatchObject({ outcome: 'trained', accepted: true });
    const modelId = (done as { modelId: number }).modelId;
    expect((await clientB.request('models:list', {})).find((m) => m.active)?.id).toBe(modelId);
    const run = await clientB.request('predictions:run', { patientId: patient.id });
    expect(run).toMatchObject({ modelId, slices: expect.any(Number) });
    expect(run.slices).toBeGreaterThan(0);
    expect(await clientB.request('predictions:get', { sliceId: first!.id })).toMatchObject({ modelId, width: 256, height: 256 });
  }, 180_000);
});
