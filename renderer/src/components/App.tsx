import { useCallback, useEffect, useRef, useState } from 'react';
import type { MaskVersion, MenuCommand, ModelSummary, RendererApi, SliceListing, SliceThumbnail } from '../../../src/api/contract.js';
import type { SliceReview } from '../../../src/review/rank-slices.js';
import type { PatientSummary } from '../../../src/catalog/patients.js';
import type { Shell } from '../api/connect.js';
import { FULL_RANGE, type DisplayChannel, type WindowLevel } from '../logic/display.js';
import { stepSlice } from '../logic/patients.js';
import { readViewLocation, withViewLocation } from '../logic/url-state.js';
import { addProgress, EMPTY_HISTORY, type TrainingHistory } from '../logic/training-history.js';
import { useMaskEditor, type Tool } from '../state/use-mask-editor.js';
import { useSliceData } from '../state/use-slice-data.js';
import { EditTools, TOOLS } from './EditTools.js';
import { HelpOverlay } from './HelpOverlay.js';
import { HistoryPanel } from './HistoryPanel.js';
import { ImportBar } from './ImportBar.js';
import { SuggestionsPanel } from './SuggestionsPanel.js';
import { ModelsPanel } from './ModelsPanel.js';
import { PatientList } from './PatientList.js';
import { SliceStrip } from './SliceStrip.js';
import { SliceViewer, type OverlaySettings } from './SliceViewer.js';
import { Lightbox } from './Lightbox.js';
import { SpacingEditor } from './SpacingEditor.js';
import { formatArea, formatVolume } from '../logic/measure.js';
import { OverlayLegend } from './OverlayLegend.js';
import { Toast, type ToastMessage } from './Toast.js';
import { TrainingPanel, type TrainingRequest } from './TrainingPanel.js';
import { ViewControls } from './ViewControls.js';

/** Foreground pixels of a working mask. */
function countMask(mask: Uint8Array | null): number {
  let n = 0;
  if (mask) for (let i = 0; i < mask.length; i++) n += mask[i] ? 1 : 0;
  return n;
}

/** The patient's lesion volume in voxels: every slice's stored area, the shown slice's live one. */
function patientVolume(slices: readonly SliceListing[], shownId: number, shownPixels: number): number {
  return slices.reduce((sum, s) => sum + (s.id === shownId ? shownPixels : s.lesionPixels), 0);
}

/** Model ▸ Retrain on Edits (Ctrl+R) runs with the training panel's default budget. */
const RETRAIN_BUDGET_MINUTES = 2;
const THUMBNAIL_SIZE = 48;

/** The slice a patient opens on: the first with a lesion (what a radiologist checks first), else the middle. */
function openingIndex(slices: readonly SliceListing[]): number {
  const lesion = slices.findIndex((s) => s.hasLesion);
  return lesion >= 0 ? lesion : Math.floor(slices.length / 2);
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
}

export function App({ api, shell }: { api: RendererApi; shell: Shell }) {
  const [patients, setPatients] = useState<PatientSummary[]>([]);
  const [patientId, setPatientId] = useState<number | null>(null);
  const [slices, setSlices] = useState<SliceListing[]>([]);
  const [thumbnails, setThumbnails] = useState<Map<number, SliceThumbnail>>(new Map());
  const [index, setIndex] = useState(0);
  const [revision, setRevision] = useState(0);
  const [channel, setChannel] = useState<DisplayChannel>('flair');
  const [windowLevel, setWindowLevel] = useState<WindowLevel>(FULL_RANGE);
  const [zoom, setZoom] = useState(1);
  const [overlays, setOverlays] = useState<OverlaySettings>({
    showMask: true, showPrediction: true, showDifference: false, showChanges: false, maskOpacity: 0.35, predictionMode: 'outline', threshold: 0.5,
  });
  const [models, setModels] = useState<ModelSummary[]>([]);
  const [history, setHistory] = useState<TrainingHistory>(EMPTY_HISTORY);
  const [trainingStartedAt, setTrainingStartedAt] = useState<number | null>(null);
  const [training, setTraining] = useState(false);
  const [trainingMessage, setTrainingMessage] = useState('');
  const [status, setStatusLine] = useState('');
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const [focusMode, setFocusMode] = useState(false);
  const [lightbox, setLightbox] = useState(false);
  const toastId = useRef(0);
  /** Says something in the footer and, for results and errors, in a toast over the image. */
  const notify = useCallback((text: string, kind: ToastMessage['kind'] = 'info', onUndo?: () => void) => {
    setStatusLine(text);
    setToast({ kind, text, id: ++toastId.current, ...(onUndo && { onUndo }) });
  }, []);
  // Progress lines ("Importing 3/20…") go to the footer only.
  const setStatus = setStatusLine;
  const closeToast = useCallback(() => setToast(null), []);
  const [cursor, setCursor] = useState('');
  const [busy, setBusy] = useState(false);
  const [versions, setVersions] = useState<MaskVersion[]>([]);
  const [preview, setPreview] = useState<Uint8Array | null>(null);
  // The version under the mouse. A preview's answer that arrives after the mouse left its row (or moved to another
  // row) is dropped; otherwise a slow answer would put the preview back after the leave had cleared it.
  const hoveredVersion = useRef<number | null>(null);
  const [suggestions, setSuggestions] = useState<SliceReview[]>([]);
  const [previousModelId, setPreviousModelId] = useState<number | null>(null);
  const [previousPrediction, setPreviousPrediction] = useState<Uint8Array | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const patientRef = useRef<number | null>(null);
  patientRef.current = patientId;
  const trainingParent = useRef<number | null>(null);
  const thumbnailsFor = useRef<number | null>(null);
  const slicesRef = useRef(slices);
  slicesRef.current = slices;
  const indexRef = useRef(index);
  indexRef.current = index;

  const { data, error } = useSliceData(api, slices, index, revision);
  const slice = slices[index];
  const patientCaseId = patients.find((p) => p.id === patientId)?.caseId ?? null;
  // The view follows the URL (reload, shared link) and the URL follows the view.
  useEffect(() => {
    if (!patientCaseId || !slice) return;
    const next = withViewLocation(window.location.href, { caseId: patientCaseId, slice: slice.number });
    if (next !== window.location.href) window.history.replaceState(null, '', next);
  }, [patientCaseId, slice]);

  const refreshSuggestions = useCallback(async () => {
    const id = patientRef.current;
    if (id === null) return;
    const ranked = await api.request('review:rank-slices', { patientId: id }).catch(() => null);
    if (ranked && patientRef.current === id) setSuggestions(ranked.slices);
  }, [api]);

  const onSaved = useCallback((sliceId: number, version: MaskVersion) => {
    setSlices((list) => list.map((s) => (s.id === sliceId ? { ...s, edited: s.edited || version.source === 'manual', lesionPixels: version.pixels } : s)));
    setVersions((list) => (list[0]?.sliceId === sliceId || list.length === 0 ? [version, ...list.filter((v) => v.id !== version.id)] : list));
    void api.request('catalog:list-patients', {}).then(setPatients, () => undefined);
    void refreshSuggestions();
  }, [api, refreshSuggestions]);
  const editor = useMaskEditor(api, data, overlays.threshold, onSaved);
  // The working mask while it is the shown slice's (it changes live with edits), the stored area while it loads.
  const shownArea = slice ? (data?.sliceId === slice.id ? countMask(editor.mask) : slice.lesionPixels) : 0;

  // Thumbnails are asked for once the patient's first slice is on screen, so their decoding on the server does
  // not delay that slice and its prefetched neighbours.
  useEffect(() => {
    const id = patientRef.current;
    if (!data || id === null || thumbnailsFor.current === id || !slices.some((s) => s.id === data.sliceId)) return;
    thumbnailsFor.current = id;
    api.request('slices:get-thumbnails', { patientId: id, size: THUMBNAIL_SIZE }).then((thumbs) => {
      if (patientRef.current === id) setThumbnails(new Map(thumbs.map((t) => [t.sliceId, t])));
    }, () => (thumbnailsFor.current = null));
  }, [api, data, slices]);
  // Panels are memoised; their callbacks read the editor through a ref so they keep one identity.
  const editorRef = useRef(editor);
  editorRef.current = editor;

  useEffect(() => {
    setVersions([]);
    setPreview(null);
    hoveredVersion.current = null;
    if (!slice) return;
    let live = true;
    api.request('masks:list-versions', { sliceId: slice.id }).then((v) => live && setVersions(v), () => undefined);
    return () => {
      live = false;
    };
  }, [api, slice]);

  useEffect(() => {
    setPreviousPrediction(null);
    if (!slice || previousModelId === null || !overlays.showChanges) return;
    let live = true;
    api.request('predictions:get', { sliceId: slice.id, modelId: previousModelId }).then((p) => live && setPreviousPrediction(p?.data ?? null), () => undefined);
    return () => {
      live = false;
    };
  }, [api, slice, previousModelId, overlays.showChanges, revision]);

  // Closing the tab or window with edits still queued: send them now and hold the close until they are saved
  // (the desktop window then closes itself; a browser asks the user, and the edits are already on their way).
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (editor.saveState.pending === 0) return;
      void editor.flush().then(() => window.close(), () => undefined);
      e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [editor]);

  const report = useCallback((error: unknown) => notify(`Error: ${error instanceof Error ? error.message : String(error)}`, 'error'), [notify]);
  const refreshPatients = useCallback(() => api.request('catalog:list-patients', {}).then(setPatients, report), [api, report]);
  const refreshModels = useCallback(() => api.request('models:list', {}).then(setModels, report), [api, report]);

  // A patient opened for the first time under the active model is predicted at once (progress in the status line),
  // so the radiologist sees the model's proposal without asking for it.
  const predictOnFirstView = useCallback(async (id: number) => {
    if (!models.some((m) => m.active)) return;
    try {
      const result = await api.request('predictions:run', { patientId: id, ifMissing: true });
      if (result.slices === 0) return;
      setStatus(`Model ${result.modelId} predicted ${result.slices} slices in ${result.seconds.toFixed(1)} s.`);
      if (patientRef.current === id) {
        setRevision((r) => r + 1);
        void refreshSuggestions();
      }
    } catch (e) {
      report(e);
    }
  }, [api, models, report, refreshSuggestions]);

  const openPatient = useCallback(async (id: number, sliceNumber?: number) => {
    setPatientId(id);
    const list = await api.request('catalog:list-slices', { patientId: id });
    setSlices(list);
    const asked = sliceNumber === undefined ? -1 : list.findIndex((s) => s.number === sliceNumber);
    setIndex(asked >= 0 ? asked : openingIndex(list));
    setThumbnails(new Map());
    thumbnailsFor.current = null;
    setSuggestions([]);
    void refreshSuggestions();
    void predictOnFirstView(id);
  }, [api, refreshSuggestions, predictOnFirstView]);

  const predictPatient = useCallback(async (modelId?: number) => {
    const id = patientRef.current;
    if (id === null) return;
    setStatus('Predicting this patient…');
    try {
      const result = await api.request('predictions:run', { patientId: id, ...(modelId && { modelId }) });
      setStatus(`Model ${result.modelId} predicted ${result.slices} slices in ${result.seconds.toFixed(1)} s.`);
      setRevision((r) => r + 1);
      void refreshSuggestions();
    } catch (e) {
      report(e);
    }
  }, [api, report, refreshSuggestions]);

  const importFolder = useCallback(async (path: string) => {
    setBusy(true);
    setStatus(`Importing ${path}…`);
    try {
      const r = await api.request('import:path', { path });
      const skipped = r.skipped.length ? ` · ${r.skipped.length} skipped: ${r.skipped.slice(0, 3).map((s) => `${s.file.split('/').pop()} (${s.reason})`).join('; ')}` : '';
      notify(`Imported ${r.patients} new patients, ${r.slices} slices (${r.lesionSlices} with lesions, ${r.unchanged} unchanged) in ${r.seconds.toFixed(1)} s${skipped}.`, r.skipped.length ? 'info' : 'success');
      const list = await api.request('catalog:list-patients', {});
      setPatients(list);
      const first = list.find((p) => p.caseId === r.caseIds[0]);
      if (first) await openPatient(first.id);
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  }, [api, openPatient, report]);

  const exportMasks = useCallback(async (path: string) => {
    setBusy(true);
    try {
      let r;
      try {
        r = await api.request('export:masks', { path });
      } catch (e) {
        // The folder holds the imported originals: their masks are replaced only if the user says so here.
        if (!/holds the imported originals/.test((e as Error).message)) throw e;
        if (!window.confirm(`${(e as Error).message.replace(/ \(--overwrite-originals\)/, '')}\n\nOverwrite the original masks there?`)) {
          setStatus('Export cancelled: the original masks were left as they were.');
          return;
        }
        r = await api.request('export:masks', { path, overwriteOriginals: true });
      }
      notify(`Exported ${r.patients} patients (${r.masks} masks) to ${r.folder}.`, 'success');
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
    }
  }, [api, report]);

  const startTraining = useCallback(async (options: TrainingRequest) => {
    setHistory(EMPTY_HISTORY);
    setTrainingStartedAt(performance.now());
    setTrainingMessage(options.fromScratch ? `Starting a ${options.preset} model from scratch…` : `Starting a retrain of the active model (budget ${options.minutes} min)…`);
    trainingParent.current = options.fromScratch ? null : (models.find((m) => m.active)?.id ?? null);
    try {
      await editorRef.current.flush(); // the run reads the catalog: it must see every edit made so far
      await api.request('training:start', options);
      setTraining(true);
      setTrainingMessage('');
    } catch (e) {
      setTrainingMessage(`Could not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }, [api, models]);

  const toggle = useCallback((key: 'showMask' | 'showPrediction' | 'showDifference' | 'showChanges') => setOverlays((o) => ({ ...o, [key]: !o[key] })), []);

  const onMenu = useCallback((m: MenuCommand) => {
    switch (m.command) {
      case 'import-path': return void importFolder(m.path);
      case 'export-masks': return void exportMasks(m.path);
      case 'retrain': return void startTraining({ fromScratch: false, minutes: RETRAIN_BUDGET_MINUTES });
      // The menu item asked first (a native dialog in the shell).
      case 'train-from-scratch': return void startTraining({ fromScratch: true, preset: 'fast', epochs: 20 });
      case 'predict-patient': return void predictPatient();
      case 'show-models': return document.querySelector('.models')?.scrollIntoView();
      case 'toggle-mask': return toggle('showMask');
      case 'toggle-prediction': return toggle('showPrediction');
      case 'toggle-difference': return toggle('showDifference');
    }
  }, [importFolder, exportMasks, startTraining, predictPatient, toggle]);

  const restoredView = useRef(false);
  useEffect(() => {
    if (restoredView.current || patients.length === 0) return;
    restoredView.current = true;
    const view = readViewLocation(window.location.search);
    const patient = view.caseId ? patients.find((p) => p.caseId === view.caseId) : undefined;
    if (patient && patientRef.current === null) void openPatient(patient.id, view.slice ?? undefined).catch(report);
  }, [patients, openPatient, report]);

  useEffect(() => {
    void refreshPatients();
    void refreshModels();
    api.request('training:status', {}).then((s) => setTraining(s.running), () => undefined);
    const off = [
      api.on('training:progress', (p) => {
        setTraining(true);
        setHistory((h) => addProgress(h, p));
      }),
      api.on('training:done', (done) => {
        setTraining(false);
        void refreshModels();
        void refreshPatients();
        if (done.outcome === 'trained') {
          setTrainingMessage(`Model ${done.modelId} trained: validation Dice ${done.valDice === null ? '—' : (done.valDice * 100).toFixed(1) + ' %'}${done.accepted ? ', now active.' : ', not better than the active model: kept as rejected.'}`);
          if (done.accepted) {
            const parent = trainingParent.current;
            setPreviousModelId(parent);
            // The "what changed" view compares with the parent's predictions of this patient: make sure they exist.
            void (async () => {
              if (parent !== null) await predictPatient(parent);
              await predictPatient();
              if (parent !== null) setOverlays((o) => ({ ...o, showChanges: true }));
            })();
          }
        } else if (done.outcome === 'cancelled') {
          setHistory(EMPTY_HISTORY); // the cancelled run's epoch and ETA no longer describe anything
          setTrainingMessage('Training cancelled; the active model is unchanged.');
        }
        else setTrainingMessage(`Training failed: ${done.message}. The active model is unchanged.`);
      }),
      api.on('import:progress', (p) => setStatus(`Importing ${p.patient}: ${p.done}/${p.total} slices`)),
      api.on('predictions:progress', (p) => setStatus(`Predicting: ${p.done}/${p.total} slices`)),
      api.on('menu:command', onMenu),
    ];
    return () => off.forEach((unsubscribe) => unsubscribe());
  }, [api, refreshPatients, refreshModels, predictPatient, onMenu]);

  const copyFrom = useCallback(async (delta: -1 | 1) => {
    const neighbour = slices[index + delta];
    if (!neighbour) return setStatus(`There is no ${delta < 0 ? 'previous' : 'next'} slice.`);
    try {
      const mask = await api.request('masks:get-current', { sliceId: neighbour.id });
      editor.setWhole(mask.data, 'copy');
      notify(`Copied slice ${neighbour.number}'s mask onto slice ${slices[index]?.number ?? ''}.`, 'info', () => editorRef.current.undo());
    } catch (e) {
      report(e);
    }
  }, [api, slices, index, editor, report, notify]);

  const acceptPrediction = useCallback(() => {
    const problem = editor.acceptPrediction();
    if (problem) notify(problem, 'error');
    else notify(`Accepted model ${data?.prediction?.modelId ?? ''}'s prediction as slice ${slices[index]?.number ?? ''}'s mask.`, 'info', () => editorRef.current.undo());
  }, [editor, notify, data, slices, index]);

  const goToSlice = useCallback((id: number) => setIndex(Math.max(0, slices.findIndex((s) => s.id === id))), [slices]);

  const nextSuggestion = useCallback(() => {
    if (suggestions.length === 0) return setStatus('No suggestions: predict this patient first.');
    const at = suggestions.findIndex((s) => s.sliceId === slices[index]?.id);
    goToSlice(suggestions[(at + 1) % suggestions.length]!.sliceId);
  }, [suggestions, slices, index, goToSlice]);

  useEffect(() => {
    const toolKeys = new Map<string, Tool>(TOOLS.map((t) => [t.key, t.tool]));
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.altKey) return;
      const handled = (() => {
        if (e.ctrlKey || e.metaKey) {
          const key = e.key.toLowerCase();
          if (key === 'z' && !e.shiftKey) editor.undo();
          else if ((key === 'z' && e.shiftKey) || key === 'y') editor.redo();
          else return false;
          return true;
        }
        const tool = toolKeys.get(e.key);
        if (tool) {
          editor.setTool(tool);
          return true;
        }
        switch (e.key) {
          case 'ArrowUp': case 'PageUp': setIndex((i) => stepSlice(i, -1, slices.length)); return true;
          case 'ArrowDown': case 'PageDown': setIndex((i) => stepSlice(i, 1, slices.length)); return true;
          case 'Home': setIndex(0); return true;
          case 'End': setIndex(Math.max(0, slices.length - 1)); return true;
          case 'n': nextSuggestion(); return true;
          case 'm': toggle('showMask'); return true;
          case 'p': toggle('showPrediction'); return true;
          case 'd': toggle('showDifference'); return true;
          case 'c': toggle('showChanges'); return true;
          case '[': editor.setRadius(editor.radius - (editor.radius > 4 ? 1 : 0.5)); return true;
          case ']': editor.setRadius(editor.radius + (editor.radius >= 4 ? 1 : 0.5)); return true;
          case 'a': acceptPrediction(); return true;
          case 'h': editor.fillHoles(); return true;
          case ',': void copyFrom(-1); return true;
          case '.': void copyFrom(1); return true;
          case 'Delete':
            editor.clearSlice();
            notify(`Cleared slice ${slices[index]?.number ?? ''}'s mask.`, 'info', () => editorRef.current.undo());
            return true;
          case '?': setShowHelp((v) => !v); return true;
          case '\\': setFocusMode((v) => !v); return true;
          case 'x': setLightbox((v) => !v); return true;
          case 'Escape': setShowHelp(false); return true;
          case '1': setChannel('pre'); return true;
          case '2': setChannel('flair'); return true;
          case '3': setChannel('post'); return true;
          case '4': setChannel('rgb'); return true;
          case '+': case '=': setZoom((z) => Math.min(16, z * 1.25)); return true;
          case '-': setZoom((z) => Math.max(0.5, z / 1.25)); return true;
          case '0': setZoom(1); return true;
          case 'w': setWindowLevel(FULL_RANGE); return true;
          default: return false;
        }
      })();
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [slices, index, toggle, editor, nextSuggestion, acceptPrediction, copyFrom, notify]);

  const selectPatient = useCallback((id: number) => void openPatient(id).catch(report), [openPatient, report]);
  const onStartTraining = useCallback((o: Parameters<typeof startTraining>[0]) => void startTraining(o), [startTraining]);
  const cancelTraining = useCallback(() => void api.request('training:cancel', {}).catch(report), [api, report]);
  const previewVersion = useCallback((id: number | null) => {
    hoveredVersion.current = id;
    if (id === null) return setPreview(null);
    void api.request('masks:get-version', { versionId: id }).then((m) => {
      if (hoveredVersion.current === id) setPreview(m.data);
    }, () => undefined);
  }, [api]);
  const revertTo = useCallback((id: number) => void api.request('masks:get-version', { versionId: id }).then((m) => {
    setPreview(null);
    editorRef.current.setWhole(m.data, 'revert');
  }, report), [api, report]);
  const activateModel = useCallback((id: number) => void api.request('models:activate', { modelId: id }).then(async (m) => {
    setModels(m);
    setRevision((r) => r + 1);
    // A model that never predicted this patient (a rejected retrain, say) predicts it now.
    const current = slicesRef.current[indexRef.current];
    if (current && !(await api.request('predictions:get', { sliceId: current.id, modelId: id }))) await predictPatient(id);
  }, report), [api, report, predictPatient]);

  const patient = patients.find((p) => p.id === patientId);
  return (
    <div className={focusMode ? 'app focus' : 'app'}>
      <header className="toolbar">
        <h1>BrainSeg Studio</h1>
        {shell === 'browser' && <ImportBar busy={busy} onImport={(p) => void importFolder(p)} onExport={(p) => void exportMasks(p)} />}
        <button onClick={() => void predictPatient()} disabled={patientId === null || models.length === 0} title="Model ▸ Predict This Patient (Ctrl+P)">Predict this patient</button>
        <button onClick={() => setFocusMode((v) => !v)} aria-pressed={focusMode} title="\\: fold the side panels away for a larger image">{focusMode ? 'Show panels' : 'Hide panels'}</button>
      </header>
      <aside className="sidebar">
        <PatientList patients={patients} selectedId={patientId} onSelect={selectPatient} />
      </aside>
      <main className="main">
        <ViewControls channel={channel} onChannel={setChannel} windowLevel={windowLevel} onWindowLevel={setWindowLevel}
          overlays={overlays} onOverlays={setOverlays} zoom={zoom} onZoom={setZoom} />
        <EditTools editor={editor} disabled={data === null} onAcceptPrediction={acceptPrediction} onCopyFrom={(d) => void copyFrom(d)} onHelp={() => setShowHelp(true)} />
        {lightbox && patientId !== null
          ? <Lightbox api={api} patientId={patientId} slices={slices} current={index} onOpen={(i) => { setIndex(i); setLightbox(false); }} />
          : <SliceViewer data={data} editor={editor} previousPrediction={previousPrediction} preview={preview} onMessage={setStatus} channel={channel} windowLevel={windowLevel} onWindowLevel={setWindowLevel} overlays={overlays}
            zoom={zoom} onZoom={setZoom} onStepSlice={(d) => setIndex((i) => stepSlice(i, d, slices.length))} onCursor={setCursor} />}
        <div className="slice-caption" data-testid="slice-caption">
          {slice ? `${patient?.caseId ?? ''} · slice ${slice.number} of ${slices.length}${slice.hasLesion ? ' · lesion' : ''}${slice.edited ? ' · edited' : ''}` : 'Pick a patient'}
          {slice && <span className="lesion-area" data-testid="lesion-area" title="Lesion area of this slice's mask, and the lesion volume of the patient's current masks. In pixels and voxels unless the patient's spacing is entered (these TIFFs carry none)">
            {` · ${formatArea(shownArea, patient?.spacing ?? null)} · patient volume ${formatVolume(patientVolume(slices, slice.id, shownArea), patient?.spacing ?? null)}`}</span>}
          {patient && <SpacingEditor spacing={patient.spacing} onSave={(pixelMm, sliceMm) => void api.request('catalog:set-spacing', { patientId: patient.id, pixelMm, sliceMm }).then(setPatients, report)} />}
          {/* Only the shown slice's own prediction: while the next slice loads, data is still the previous one's. */}
          {data?.prediction && data.sliceId === slice?.id ? ` · prediction: model ${data.prediction.modelId}` : ''}
          <span className="cursor" data-testid="cursor-readout">{cursor}</span>
        </div>
        <OverlayLegend overlays={overlays} />
        <SliceStrip slices={slices} thumbnails={thumbnails} index={index} onSelect={setIndex} />
      </main>
      <aside className="rightbar">
        <TrainingPanel running={training} activeModelId={models.find((m) => m.active)?.id ?? null} editedSlices={patient?.editedSlices ?? 0}
          history={history} startedAt={trainingStartedAt} message={trainingMessage} onStart={onStartTraining} onCancel={cancelTraining} />
        <SuggestionsPanel suggestions={suggestions} slices={slices} onGo={goToSlice} />
        <HistoryPanel versions={versions} onPreview={previewVersion} onRevert={revertTo} />
        <ModelsPanel models={models} onActivate={activateModel} />
      </aside>
      <footer className="status" role="status" data-testid="status">{error ?? status}</footer>
      <Toast toast={toast} onClose={closeToast} />
      {showHelp && <HelpOverlay onClose={() => setShowHelp(false)} />}
    </div>
  );
}
