/**
 * The accuracy report of a classification, as JSON and as CSV: the classes with their raster
 * values, how the accuracy was measured (spatial block CV), overall and balanced accuracy,
 * per-class precision/recall/F1, the confusion matrix, the learning curve and the mapped
 * area per class with the uncertain area apart.
 */
import Papa from 'papaparse';
import type { ClassArea, ClassifierSpec, CurvePoint, CvResult } from '../classify/index.ts';
import type { GridSpec } from '../geo/index.ts';
import type { ExportClass } from './classification-geotiff.ts';
import { UNCERTAIN_VALUE } from './classification-geotiff.ts';
import { labelStats } from './geo-area.ts';

export type { ClassArea };

export interface AccuracyReport {
  classes: ExportClass[];
  classifier: ClassifierSpec;
  validation: {
    method: 'spatial block cross-validation';
    block_size_px: number;
    block_size_m: number;
    folds: number;
    seed: number;
  };
  labelled_pixels: number[];
  overall_accuracy: number;
  balanced_accuracy: number;
  per_class: {
    value: number;
    name: string;
    precision: number | null;
    recall: number | null;
    f1: number | null;
    support: number;
  }[];
  /** confusion_matrix[true value][predicted value], rows and columns in class order. */
  confusion_matrix: number[][];
  learning_curve: CurvePoint[];
  confidence_threshold: number;
  areas: ClassArea[];
  uncertain_area_km2: number;
  training?: Readonly<Record<string, number | boolean>>;
}

/** Mapped area per class (and of "uncertain") of a class raster. */
export function classAreas(
  classes: Uint8Array,
  grid: GridSpec,
  classDefs: readonly ExportClass[],
): { areas: ClassArea[]; uncertainKm2: number } {
  const stats = labelStats(classes, grid);
  return {
    areas: classDefs.map((c) => ({
      value: c.value,
      name: c.name,
      area_km2: (stats.areaM2[c.value] ?? 0) / 1e6,
      pixels: stats.pixels[c.value] ?? 0,
    })),
    uncertainKm2: (stats.areaM2[UNCERTAIN_VALUE] ?? 0) / 1e6,
  };
}

export interface ReportInput {
  classDefs: readonly ExportClass[];
  classifier: ClassifierSpec;
  cv: CvResult;
  seed: number;
  curve: CurvePoint[];
  labelledPixels: number[];
  classes: Uint8Array;
  grid: GridSpec;
  threshold: number;
  training?: Readonly<Record<string, number | boolean>>;
}

export function accuracyReport(input: ReportInput): AccuracyReport {
  const { cv, classDefs, grid } = input;
  const { areas, uncertainKm2 } = classAreas(input.classes, grid, classDefs);
  const report: AccuracyReport = {
    classes: classDefs.map((c) => ({ value: c.value, name: c.name, colour: c.colour })),
    classifier: input.classifier,
    validation: {
      method: 'spatial block cross-validation',
      block_size_px: cv.blockSizePx,
      block_size_m: cv.blockSizePx * grid.transform.resX,
      folds: cv.folds,
      seed: input.seed,
    },
    labelled_pixels: input.labelledPixels,
    overall_accuracy: cv.metrics.overall,
    balanced_accuracy: cv.metrics.balanced,
    per_class: cv.metrics.perClass.map((s, i) => ({
      value: classDefs[i]?.value ?? i,
      name: classDefs[i]?.name ?? '',
      ...s,
    })),
    confusion_matrix: cv.metrics.confusion,
    learning_curve: input.curve,
    confidence_threshold: input.threshold,
    areas,
    uncertain_area_km2: uncertainKm2,
  };
  if (input.training) report.training = input.training;
  return report;
}

/**
 * The report as one long CSV table (metric, class, predicted class, value): one header, so
 * spreadsheets and pandas read it as it is.
 */
export function accuracyReportCsv(report: AccuracyReport): string {
  const rows: (string | number)[][] = [];
  const name = (v: number) => report.classes.find((c) => c.value === v)?.name ?? '';
  const add = (metric: string, value: number | null, cls?: number, predicted?: number) => {
    rows.push([
      metric,
      cls ?? '',
      cls === undefined ? '' : name(cls),
      predicted ?? '',
      predicted === undefined ? '' : name(predicted),
      value ?? '',
    ]);
  };
  add('overall_accuracy', report.overall_accuracy);
  add('balanced_accuracy', report.balanced_accuracy);
  for (const c of report.per_class) {
    add('precision', c.precision, c.value);
    add('recall', c.recall, c.value);
    add('f1', c.f1, c.value);
    add('support', c.support, c.value);
  }
  report.confusion_matrix.forEach((row, t) => {
    for (let p = 0; p < row.length; p++) {
      add('confusion', row[p]!, report.classes[t]?.value ?? t, report.classes[p]?.value ?? p);
    }
  });
  for (const a of report.areas) add('area_km2', a.area_km2, a.value);
  add('uncertain_area_km2', report.uncertain_area_km2);
  for (const pt of report.learning_curve) {
    rows.push([`learning_curve_overall@${pt.labelsPerClass}`, '', '', '', '', pt.overall]);
    rows.push([`learning_curve_balanced@${pt.labelsPerClass}`, '', '', '', '', pt.balanced]);
  }
  return Papa.unparse(
    { fields: ['metric', 'class_value', 'class', 'predicted_value', 'predicted_class', 'value'], data: rows },
    { newline: '\n' },
  );
}
