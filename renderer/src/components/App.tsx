import { useCallback, useEffect, useMemo, useState } from 'react';
import { FROM_SCRATCH_DEFAULTS, RETRAIN_BUDGET_MINUTES, type MaskSaveResult, type PatientSummary, type RendererApi } from '../../../src/contract/index.js';
import type { Shell } from '../api/connect.js';
import { concurrentSaveNotice } from '../logic/concurrent-save.js';
import { channelUnits } from '../logic/scan-units.js';
import { withShortcut } from '../logic/shortcuts.js';
import { useAppCommands } from '../state/use-app-commands.js';
import { useCatalogChanges } from '../state/use-catalog-changes.js';
import { useClickSegment } from '../state/use-click-segment.js';
import { editingCommands } from '../state/editing-commands.js';
import { useEditActions } from '../state/use-edit-actions.js';
import { useEditor } from '../state/use-editor.js';
import { useFolders } from '../state/use-folders.js';
import { useMaskHistory } from '../state/use-mask-history.js';
import { useModels } from '../state/use-models.js';
import { useNotifications } from '../state/use-notifications.js';
import { usePatientNavigation } from '../state/use-patient-navigation.js';
import { usePredictions } from '../state/use-predictions.js';
import { useSliceData } from '../state/use-slice-data.js';
import { rejectedRetrain } from '../logic/models.js';
import { withPreview } from '../logic/prediction-preview.js';
import { useReviewQueue } from '../state/use-review-queue.js';
import { useSuggestions } from '../state/use-suggestions.js';
import { useTrainingSession } from '../state/use-training-session.js';
import { useViewState } from '../state/use-view-state.js';
import { EditTools } from './EditTools.js';
import { CommandPalette } from './CommandPalette.js';
import { ExportDialog } from './ExportDialog.js';
import { HelpOverlay } from './HelpOverlay.js';
import { HistoryPanel } from './HistoryPanel.js';
import { ImportBar } from './ImportBar.js';
import { ImportDialog } from './ImportDialog.js';
import { Lightbox } from './Lightbox.js';
import { ModelsPanel } from './ModelsPanel.js';
import { OverlayLegend } from './OverlayLegend.js';
import { PatientList } from './PatientList.js';
import { SliceCaption } from './SliceCaption.js';
import { SliceStrip } from './SliceStrip.js';
import { SliceViewer } from './SliceViewer.js';
import { SuggestionsPanel } from './SuggestionsPanel.js';
import { Toast } from './Toast.js';
import { ToolPalette } from './ToolPalette.js';
import { TrainingPanel } from './TrainingPanel.js';
import { ViewControls } from './ViewControls.js';

/** The workstation's layout: each piece of state lives in its own hook (renderer/src/state), each view in a component. */
export function App({ api, shell }: { api: RendererApi; shell: Shell }) {
  const say = useNotifications();
  const view = useViewState();
  const { channel, setChannel, windowLevel, setWindowLevel, zoom, setZoom, overlays, setOverlays, focusMode, setFocusMode, lightbox, setLightbox, setShowHelp } = view;
  const [cursor, setCursor] = useState('');

  const { models, activeModelId, refreshModels, activate } = useModels(api, say.report);
  const nav = usePatientNavigation(api, say.report, (id, sliceId) => {
    say.clearPatientStatus(); // what the status said about the patient before (an import's result stays)
    suggestions.clear(id);
    void suggestions.refresh(id);
    predictions.predictOnFirstView(id, sliceId);
  });
  const suggestions = useSuggestions(api, nav.currentPatient);
  const predictions = usePredictions(api, nav.slice, overlays.showChanges, {
    currentPatient: nav.currentPatient, hasActiveModel: () => activeModelId !== null, setStatus: say.setStatus, report: say.report,
    // Only the active model's new predictions reopen reviewed slices (another's, e.g. validation scoring, do not).
    onPredicted: (id, count, model) => void (count > 0 && model === activeModelId ? suggestions.predicted(id) : suggestions.refresh(id)),
    onRetrainPredicted: (id, previous) => say.notify(`Model ${id}'s predictions of this patient are in: press C to see what it changed from model ${previous}.`),
  });
  const loaded = useSliceData(api, nav.slices, nav.index, predictions.revision);
  // Memoised: the editor takes a new slice object for a new slice.
  const { data, error } = useMemo(() => withPreview(loaded, predictions.previews), [loaded.data, loaded.error, predictions.previews]);
  const history = useMaskHistory(api, nav.slice);

  // A save answers with everything the UI shows next: no further requests per stroke.
  const onSaved = useCallback(({ version, patient, ranking, concurrent }: MaskSaveResult) => {
    // A new version is not approved yet: an approval holds for the version it was given to.
    nav.updateSlice(version.sliceId, (s) => ({ ...s, edited: s.edited || version.source === 'manual', lesionPixels: version.pixels, approval: null }));
    suggestions.markReviewed(version.sliceId);
    for (const v of [...concurrent, version]) history.addVersion(v);
    nav.setPatients((list) => list.map((p) => (p.id === patient.id ? { ...p, editedSlices: patient.editedSlices } : p)));
    suggestions.take(patient.id, ranking);
    if (concurrent.length) say.notify(concurrentSaveNotice(concurrent, nav.slices.find((s) => s.id === version.sliceId)?.number), 'error');
  }, [nav, history, suggestions, say]);
  const editing = useEditor(api, data, overlays.threshold, onSaved);
  const { editor } = editing;
  useCatalogChanges(api, editor, {
    currentPatient: nav.currentPatient, slices: () => nav.slices, refreshPatients: nav.refreshPatients, refreshSlices: nav.refreshSlices,
    refreshModels, refreshHistory: history.reload, reloadSlices: predictions.bumpRevision, setStatus: say.setStatus,
  });
  const actions = useEditActions(api, editing, nav.slices, nav.index, data?.prediction?.modelId ?? null, say);
  const clicking = useClickSegment(api, editing, nav.slices, say);
  const { loadThumbnails, openPatient } = nav;
  const shownSliceId = nav.slice?.id;
  useEffect(() => {
    if (data && data.sliceId === shownSliceId) loadThumbnails();
  }, [data, shownSliceId, loadThumbnails]);

  const training = useTrainingSession(api, {
    beforeStart: () => editor.flush(), currentPatient: nav.currentPatient, report: say.report, models,
    onModelTrained: () => void Promise.all([refreshModels(), nav.refreshPatients()]),
  });
  const folders = useFolders(api, say, async (patients: PatientSummary[], firstCaseId, added) => {
    nav.setPatients(patients);
    // An import that added patients opens the first (what the user came to see); one that added none (a re-import)
    // keeps the user's place, and so does any import while a patient is open unless it brought new ones.
    const first = patients.find((p) => p.caseId === firstCaseId);
    if (first && (added || nav.currentPatient() === null)) await nav.openPatient(first.id);
    else await nav.refreshSlices();
  });
  const { bumpRevision, predictPatient, compareWith } = predictions;
  const shownSlice = nav.slice;
  const activateModel = useCallback((id: number) => void activate(id).then(async () => {
    bumpRevision();
    if (activeModelId !== null && activeModelId !== id) {
      compareWith(activeModelId);
      say.notify(`Model ${id} is active now: press C to see what it changed from model ${activeModelId}.`);
    }
    // A model that never predicted this patient (a rejected retrain, say) predicts it now.
    if (shownSlice && !(await api.request('predictions:get', { sliceId: shownSlice.id, modelId: id }))) await predictPatient(id);
  }, say.report), [api, activate, activeModelId, bumpRevision, compareWith, predictPatient, shownSlice, say]);

  const review = useReviewQueue(suggestions, nav.slices, nav.slice, nav.goToSlice, say.setStatus);
  const commands = useAppCommands(api, {
    lightbox, closeLightbox: () => setLightbox(false), showHelp: view.showHelp, closeHelp: () => setShowHelp(false), setStatus: say.setStatus, discardProposal: clicking.discard, handlers: {
    'file:open-patient': (path) => path && void folders.importFolder(path), 'file:import-dataset': (path) => path && void folders.importFolder(path),
    'file:export-masks': (path) => path && folders.exportMasks(path),
    'model:retrain': () => void training.start({ fromScratch: false, minutes: RETRAIN_BUDGET_MINUTES }),
    // Asked first: by the menu (a native dialog), or in a browser by useAppCommands.
    'model:train-from-scratch': () => void training.start({ fromScratch: true, ...FROM_SCRATCH_DEFAULTS }),
    'model:predict-patient': () => void predictions.predictPatient(),
    'model:show-models': () => document.querySelector('.models')?.scrollIntoView(),
    ...editingCommands(editor, actions), 'click:accept': clicking.accept, 'click:propagate': () => void clicking.propagate(),
    'edit:approve': () => void actions.approveSlice().then((approval) => {
      if (!approval || !shownSlice) return;
      nav.updateSlice(shownSlice.id, (s) => ({ ...s, approval }));
      suggestions.markReviewed(shownSlice.id);
      void Promise.all([nav.refreshPatients(), nav.refreshSlices()]); // the counts; the strip, newer than any listing asked before
    }),
    'slice:previous': () => nav.step(-1), 'slice:next': () => nav.step(1),
    'slice:first': () => nav.setIndex(0), 'slice:last': () => nav.setIndex(Math.max(0, nav.slices.length - 1)),
    'slice:next-suggestion': review.next,
    ...view.handlers,
  } });

  // Memoised panels keep their props' identities.
  const { copyFrom: copyMask } = actions, copyFrom = useCallback((delta: -1 | 1) => void copyMask(delta), [copyMask]), openHelp = useCallback(() => setShowHelp(true), [setShowHelp]);
  const selectPatient = useCallback((id: number) => void openPatient(id).catch(say.report), [openPatient, say.report]);
  const { revertTo } = actions, { readVersion } = history, revert = useCallback((id: number) => void revertTo(id, readVersion), [revertTo, readVersion]);
  const { patient, patientId, slices, index } = nav;
  const scan = patient?.scan ?? null;
  // Memoised: the viewer's readout follows a change of units, not every render.
  const units = useMemo(() => channelUnits(scan, channel), [scan, channel]);
  return (
    <div className={focusMode ? 'app focus' : 'app'}>
      <header className="toolbar">
        <h1>BrainSeg Studio</h1>
        {shell === 'browser' && <ImportBar busy={folders.busy} onImport={(p) => void folders.importFolder(p)} onExport={folders.exportMasks} />}
        <button onClick={() => void predictions.predictPatient()} disabled={patientId === null || models.length === 0} title={withShortcut('Model ▸ Predict This Patient', 'model:predict-patient')}>Predict this patient</button>
        <button onClick={() => setFocusMode((v) => !v)} aria-pressed={focusMode} title={withShortcut('Fold the side panels away for a larger image', 'view:focus')}>{focusMode ? 'Show panels' : 'Hide panels'}</button>
      </header>
      <aside className="sidebar">
        <PatientList patients={nav.patients} selectedId={patientId} onSelect={selectPatient} />
      </aside>
      <main className="main">
        <ViewControls channel={channel} onChannel={setChannel} windowLevel={windowLevel} onWindowLevel={setWindowLevel} units={units}
          overlays={overlays} onOverlays={setOverlays} zoom={zoom} onZoom={setZoom} />
        <div className="image-row">
          {/* The tools and the slice actions in a column beside the image: rows above it cost the image its height. */}
          <div className="tool-column">
            <ToolPalette editing={editing} disabled={data === null} />
            <EditTools editing={editing} disabled={data === null} onAcceptPrediction={actions.acceptPrediction} onClear={actions.clearSlice} onCopyFrom={copyFrom} onHelp={openHelp} />
          </div>
          <div className="image-area">
            {lightbox && patientId !== null
              ? <Lightbox api={api} patientId={patientId} slices={slices} current={index} onOpen={(i) => { nav.setIndex(i); setLightbox(false); }} onClose={() => setLightbox(false)} />
              : <SliceViewer data={data} editing={editing} previousPrediction={predictions.previousPrediction} preview={history.preview} onMessage={say.setStatus}
                channel={channel} units={units} edges={scan?.edges ?? null} pixelMm={patient?.spacing?.pixelMm ?? null} windowLevel={windowLevel} onWindowLevel={setWindowLevel} overlays={overlays} zoom={zoom} onZoom={setZoom} onStepSlice={nav.step} onCursor={setCursor} />}
            <Toast toast={say.toast} onClose={say.closeToast} />
          </div>
        </div>
        <SliceCaption patient={patient} slices={slices} slice={nav.slice} data={data} workingMask={editor.mask} cursor={cursor}
          onSpacing={(pixelMm, sliceMm) => patient && void api.request('catalog:set-spacing', { patientId: patient.id, pixelMm, sliceMm }).then(nav.setPatients, say.report)} />
        <OverlayLegend overlays={overlays} clicking={editing.state.clicks !== null} changes={predictions.previousModelId === null ? null : { from: predictions.previousModelId, to: activeModelId }} />
        <SliceStrip slices={slices} thumbnails={nav.thumbnails} index={index} onSelect={nav.setIndex} />
      </main>
      <aside className="rightbar">
        <TrainingPanel api={api} sliceId={nav.slice?.id ?? null} running={training.running} activeModelId={activeModelId} editedSlices={patient?.editedSlices ?? 0}
          history={training.history} message={training.message} resumable={training.resumable}
          rejected={rejectedRetrain(models)} onStart={training.start} onActivate={activateModel} onResume={training.resume} onDiscard={training.discard} onCancel={training.cancel} />
        <SuggestionsPanel api={api} patientId={patientId} queue={review.queue} ranked={suggestions.suggestions.length > 0} onGo={nav.goToSlice} />
        <HistoryPanel versions={history.versions} onPreview={history.previewVersion} onRevert={revert} />
        <ModelsPanel api={api} models={models} onActivate={activateModel} patientId={patientId} compare={predictions.previousModelId === null ? null : { from: predictions.previousModelId, to: activeModelId }} refresh={review.queue} />
      </aside>
      <footer className="status" role="status" data-testid="status">{error ?? say.status}</footer>
      {view.showHelp && <HelpOverlay onClose={() => setShowHelp(false)} />}
      {commands.palette && <CommandPalette onRun={commands.runCommand} onClose={commands.closePalette} />}
      {folders.importDraft && <ImportDialog draft={folders.importDraft} onRole={folders.chooseRole} onImport={folders.confirmImport} onCancel={folders.cancelImport} />}
      {folders.exportPath && <ExportDialog path={folders.exportPath} initial={folders.exportChoice} onExport={(c) => void folders.confirmExport(c)} onCancel={folders.cancelExport} />}
    </div>
  );
}

