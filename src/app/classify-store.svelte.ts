/**
 * The Classify panel's state: classes and labels (with undo), the label tool, the classifier
 * settings, the last result and its threshold view. Kept apart from the explorer controller so
 * that moving the controller does not move this. Labels are saved in the browser on every
 * edit, so a reload loses nothing.
 */
import { untrack } from 'svelte';
import type { ClassifyResult, ClassifyStage, ThresholdView } from '../lib/classify/index.ts';
import {
  addLabels,
  type ClassifierSpec,
  classes,
  DEFAULT_KNN,
  DEFAULT_LOGREG,
  defaultBlockSize,
  edit,
  historyOf,
  importCsvLabels,
  importGeoJsonLabels,
  type LabelGeometry,
  type LabelHistory,
  type LabelState,
  labelsFromLink,
  labelsToCsv,
  labelsToGeoJson,
  labelsToLink,
  type RowError,
  redo,
  undo,
} from '../lib/classify/index.ts';
import { ClassifyClient } from '../lib/clients/index.ts';
import type { EmbeddingGrid } from '../lib/embeddings/index.ts';
import { AppError } from '../lib/errors.ts';
import type { SnapshotLegend } from '../lib/export/index.ts';
import {
  type AccuracyReport,
  accuracyReportCsv,
  classificationAuxXml,
  classificationToGeoJson,
  classificationToGeoTiff,
  confidenceToGeoTiff,
  downloadFile,
  hexToRgb,
} from '../lib/export/index.ts';
import type { DrawnShape, GridSpec, LonLat } from '../lib/geo/index.ts';
import type { Marker } from '../lib/layers/index.ts';

const STORAGE_KEY = 'eee.classify.labels';

/** Off; one label per click; a brush stroke (points along the drag); a polygon. */
export type LabelTool = 'off' | 'point' | 'brush' | 'polygon';

function loadSaved(): LabelState {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    if (!text) return classes.emptyLabelState();
    const saved = JSON.parse(text) as LabelState;
    if (!Array.isArray(saved.classes) || !Array.isArray(saved.labels)) return classes.emptyLabelState();
    return saved;
  } catch {
    return classes.emptyLabelState();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ClassifyStore {
  history = $state.raw<LabelHistory>(historyOf(loadSaved()));
  activeClassId = $state<string | undefined>();
  tool = $state<LabelTool>('off');
  method = $state<'knn' | 'logreg'>('logreg');
  k = $state(DEFAULT_KNN.k);
  threshold = $state(0.5);
  /** Block side in pixels; undefined = sized to the scene. */
  blockSizePx = $state<number | undefined>();
  hidden = $state.raw<ReadonlySet<number>>(new Set());
  result = $state.raw<ClassifyResult | undefined>();
  view = $state.raw<ThresholdView | undefined>();
  progress = $state<{ stage: ClassifyStage; done: number; total: number } | undefined>();
  error = $state<string | undefined>();
  importErrors = $state.raw<RowError[]>([]);
  notice = $state<string | undefined>();
  busy = $state(false);
  grid = $state.raw<GridSpec | undefined>();
  private client: ClassifyClient | undefined;
  private controller: AbortController | undefined;
  /** Class names and colours the result was computed with (the exports and legend use them). */
  private resultClasses: LabelState['classes'] = [];

  get state(): LabelState {
    return this.history.present;
  }

  get counts(): number[] {
    return classes.labelCounts(this.state);
  }

  /** Every label as a map marker in its class colour (a polygon at the mean of its corners). */
  get markers(): Marker[] {
    const colours = new Map(this.state.classes.map((c) => [c.id, hexToRgb(c.colour)]));
    return this.state.labels.map((l) => {
      const [r, g, b] = colours.get(l.classId) ?? [255, 255, 255];
      const ring = l.geometry.kind === 'point' ? [l.geometry.at] : l.geometry.ring;
      const lon = ring.reduce((a, p) => a + p[0], 0) / ring.length;
      const lat = ring.reduce((a, p) => a + p[1], 0) / ring.length;
      return { lon, lat, kind: 'label', colour: [r, g, b, 255] };
    });
  }

  /** The class map's legend for a PNG snapshot: visible classes, then "uncertain". */
  snapshotLegend(): SnapshotLegend {
    const items = this.legend
      .filter((c) => !this.hidden.has(c.value))
      .map((c) => ({ name: c.name, colour: hexToRgb(c.colour) }));
    if ((this.view?.uncertainKm2 ?? 0) > 0) items.push({ name: 'uncertain', colour: [160, 160, 160] });
    return { kind: 'swatches', title: 'Classes', items };
  }

  get legend(): { value: number; name: string; colour: string }[] {
    return this.resultClasses.map((c, value) => ({ value, name: c.name, colour: c.colour }));
  }

  /** Applies a label edit, saves it, and reports a refusal instead of throwing. */
  change(fn: (s: LabelState) => LabelState): boolean {
    try {
      this.history = edit(this.history, fn);
      this.error = undefined;
      this.save();
      return true;
    } catch (error) {
      this.error = messageOf(error);
      return false;
    }
  }

  private save(): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(this.state));
    } catch {
      this.notice = 'The browser refused to save the labels (storage full?): export them to keep them.';
    }
  }

  addClass(name: string): void {
    if (this.change((s) => classes.addClass(s, name))) this.activeClassId = this.state.classes.at(-1)?.id;
  }

  /** Whether the current link carries the labels (false: too many, the labels file must). */
  linkCarriesLabels = $state(true);

  /** `query` (a link's ?...) with the classes and labels added when they fit. */
  withLabels(query: string): string {
    const link = labelsToLink(this.state);
    this.linkCarriesLabels = link.kind !== 'too-many';
    if (link.kind !== 'fits') return query;
    const params = new URLSearchParams(query);
    params.set('cls', link.cls);
    if (link.lab) params.set('lab', link.lab);
    return `?${params.toString()}`;
  }

  /** Classes and labels from the link the app was opened with; returns what it refused. */
  fromLink(search: string): string[] {
    // Untracked: called from the app's start-up effect, which must not come to depend on the
    // labels it sets (it would re-run, and re-open the scene, on every label edit).
    return untrack(() => {
      const params = new URLSearchParams(search);
      const linked = labelsFromLink(params.get('cls'), params.get('lab'));
      if (!linked) return [];
      this.history = historyOf(linked.state);
      this.activeClassId = linked.state.classes[0]?.id;
      this.save();
      return linked.rejected;
    });
  }

  /** A session's classes and labels replace the current ones (Undo brings those back). */
  restore(state: LabelState): void {
    this.history = edit(this.history, () => state);
    this.activeClassId = state.classes[0]?.id;
    this.save();
  }

  undo(): void {
    this.history = undo(this.history);
    this.save();
  }

  redo(): void {
    this.history = redo(this.history);
    this.save();
  }

  /** A map click while the point tool is on: one label of the active class. */
  labelAt(at: LonLat): void {
    const id = this.activeClassId;
    if (!id) {
      this.error = 'Choose a class to label first.';
      return;
    }
    this.change((s) => addLabels(s, id, [{ kind: 'point', at }]));
  }

  /**
   * A finished brush stroke (a point label at each sample, a few screen pixels apart) or
   * polygon, as one edit: one Undo removes the whole stroke.
   */
  labelShape(shape: DrawnShape): void {
    const id = this.activeClassId;
    if (!id) {
      this.error = 'Choose a class to label first.';
      return;
    }
    const geometries: LabelGeometry[] = shape.stroke
      ? shape.stroke.map((at) => ({ kind: 'point', at }))
      : shape.polygon
        ? [{ kind: 'polygon', ring: shape.polygon }]
        : [];
    if (geometries.length > 0) this.change((s) => addLabels(s, id, geometries));
  }

  async importFile(file: File): Promise<void> {
    const text = await file.text();
    try {
      const imported = /\.csv$/i.test(file.name)
        ? importCsvLabels(this.state, text)
        : importGeoJsonLabels(this.state, text);
      this.history = edit(this.history, () => imported.state);
      this.importErrors = imported.errors;
      this.notice = `${imported.added} label(s) imported from ${file.name}${imported.errors.length ? `; ${imported.errors.length} row(s) refused (listed below)` : ''}.`;
      this.error = undefined;
      this.activeClassId ??= this.state.classes[0]?.id;
      this.save();
    } catch (error) {
      this.error = `${file.name}: ${messageOf(error)}`;
    }
  }

  exportLabels(format: 'geojson' | 'csv'): void {
    if (format === 'geojson') {
      downloadFile(labelsToGeoJson(this.state), 'labels.geojson');
      return;
    }
    const { csv, skippedPolygons } = labelsToCsv(this.state);
    downloadFile(csv, 'labels.csv');
    if (skippedPolygons > 0)
      this.notice = `CSV holds points only: ${skippedPolygons} polygon label(s) are in the GeoJSON export.`;
  }

  private embeddings: EmbeddingGrid | undefined;
  /** The grid the worker holds (a restarted worker gets it from the client). */
  private sentGrid: EmbeddingGrid | undefined;

  /** New embeddings: the old result no longer applies. */
  setGrid(grid: EmbeddingGrid | undefined, spec: GridSpec | undefined): void {
    this.result = undefined;
    this.view = undefined;
    this.embeddings = grid;
    this.grid = spec;
  }

  get spec(): ClassifierSpec {
    return this.method === 'knn' ? { method: 'knn', k: this.k } : DEFAULT_LOGREG;
  }

  async run(): Promise<void> {
    const grid = this.embeddings;
    const spec = this.grid;
    if (!grid || !spec) {
      this.error = 'Compute embeddings first.';
      return;
    }
    this.client ??= new ClassifyClient();
    this.controller = new AbortController();
    this.busy = true;
    this.error = undefined;
    const labels = $state.snapshot(this.state) as LabelState;
    try {
      if (this.sentGrid !== grid) {
        await this.client.setGrid({ grid: spec, dim: grid.dim, data: grid.data, valid: grid.valid });
        this.sentGrid = grid;
      }
      const request = {
        spec: this.spec,
        blockSizePx: this.blockSizePx ?? defaultBlockSize(spec.width, spec.height),
        seed: 1,
      };
      const result = await this.client.classify(
        labels,
        request,
        this.threshold,
        (stage, done, total) => {
          this.progress = { stage, done, total };
        },
        this.controller.signal,
      );
      this.resultClasses = labels.classes;
      this.result = result;
      this.view = result;
      this.hidden = new Set();
    } catch (error) {
      this.error = error instanceof AppError && error.code === 'aborted' ? undefined : messageOf(error);
      if (error instanceof AppError && error.code === 'aborted') this.notice = 'Classification cancelled.';
    } finally {
      this.busy = false;
      this.progress = undefined;
      this.controller = undefined;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  async setThreshold(value: number): Promise<void> {
    this.threshold = value;
    if (!this.result || !this.client) return;
    try {
      this.view = await this.client.threshold(value);
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  toggleClass(value: number): void {
    const next = new Set(this.hidden);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    this.hidden = next;
  }

  report(): AccuracyReport | undefined {
    const r = this.result;
    const v = this.view;
    if (!r || !v || !this.grid) return undefined;
    return {
      classes: this.legend,
      classifier: this.spec,
      validation: {
        method: 'spatial block cross-validation',
        block_size_px: r.blockSizePx,
        block_size_m: r.blockSizePx * this.grid.transform.resX,
        folds: r.folds,
        seed: 1,
      },
      labelled_pixels: r.labelledPixels,
      overall_accuracy: r.metrics.overall,
      balanced_accuracy: r.metrics.balanced,
      per_class: r.metrics.perClass.map((s, i) => ({ value: i, name: this.legend[i]?.name ?? '', ...s })),
      confusion_matrix: r.metrics.confusion,
      learning_curve: r.curve,
      confidence_threshold: v.threshold,
      areas: v.areas,
      uncertain_area_km2: v.uncertainKm2,
    };
  }

  exportMap(kind: 'geotiff' | 'geojson' | 'report-json' | 'report-csv'): void {
    const r = this.result;
    const v = this.view;
    const grid = this.grid;
    if (!r || !v || !grid) return;
    const classDefs = this.legend;
    try {
      if (kind === 'geotiff') {
        downloadFile(classificationToGeoTiff({ classes: v.classes, grid, classDefs }), 'classes.tif');
        downloadFile(classificationAuxXml(classDefs), 'classes.tif.aux.xml', 'application/xml');
        downloadFile(confidenceToGeoTiff(r.confidence, grid), 'classes-confidence.tif');
      } else if (kind === 'geojson') {
        downloadFile(JSON.stringify(classificationToGeoJson(v.classes, grid, classDefs)), 'classes.geojson');
      } else {
        const report = this.report();
        if (!report) return;
        if (kind === 'report-json')
          downloadFile(JSON.stringify(report, null, 2), 'accuracy.json', 'application/json');
        else downloadFile(accuracyReportCsv(report), 'accuracy.csv');
      }
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  dispose(): void {
    this.client?.dispose();
    this.client = undefined;
  }
}
