import { access, readFile, writeFile } from 'node:fs/promises';
import {
  type ClassifierSpec,
  DEFAULT_KNN,
  DEFAULT_LOGREG,
  emptyLabelState,
  importGeoJsonLabels,
  runClassification,
  withUncertain,
} from '../../src/lib/classify/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import {
  accuracyReport,
  accuracyReportCsv,
  classificationAuxXml,
  classificationToGeoJson,
  classificationToGeoTiff,
  confidenceToGeoTiff,
} from '../../src/lib/export/index.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { readEmbeddingsFile } from './embeddings-input.ts';
import { type CliCommand, parseOptions, progress, summary } from './io.ts';

const usage = `npm run cli -- classify --embeddings e.tif --labels l.geojson --method knn|logreg --out map.tif --report r.json
    [--k 5] [--l2 0.001] [--tolerance 1e-5] [--threshold 0] [--block-size PX] [--folds 5] [--seed 1]
    [--confidence map-confidence.tif] [--report-csv r.csv] [--geojson map.geojson] [--no-learning-curve]

Classifies every pixel of an embeddings GeoTIFF (float32, or int8 read with its per-band scale) from labels (GeoJSON points or polygons
with a "class" property, WGS84 or a declared UTM/Web Mercator CRS), the app's own code. Writes a
uint8 class GeoTIFF (colour table; class names as band metadata and as GDAL category names in
map.tif.aux.xml), the float32 confidence beside it, and the accuracy report from spatial block
cross-validation: classes [{value, name, colour}], accuracies, per-class scores, confusion matrix,
learning curve, areas. Pixels below --threshold confidence are 254 ("uncertain"); 255 is nodata.`;

function number(text: string | undefined, fallback: number, name: string, integer = false): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new AppError('bad-input', `--${name} must be a ${integer ? 'whole ' : ''}number, got "${text}".`);
  }
  return value;
}

function spec(values: Record<string, string | boolean | undefined>): ClassifierSpec {
  const method = values.method;
  if (method === 'knn')
    return { method, k: number(values.k as string | undefined, DEFAULT_KNN.k, 'k', true) };
  if (method === 'logreg') {
    return {
      method,
      l2: number(values.l2 as string | undefined, DEFAULT_LOGREG.l2, 'l2'),
      tolerance: number(values.tolerance as string | undefined, DEFAULT_LOGREG.tolerance, 'tolerance'),
      maxIterations: DEFAULT_LOGREG.maxIterations,
    };
  }
  throw new AppError('bad-input', `--method must be knn or logreg, got "${String(method)}".`);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new AppError('not-found', `Cannot read the ${what} file ${path}.`);
  }
}

export const command: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseOptions(args, {
      embeddings: { type: 'string' },
      labels: { type: 'string' },
      method: { type: 'string' },
      out: { type: 'string' },
      report: { type: 'string' },
      k: { type: 'string' },
      l2: { type: 'string' },
      tolerance: { type: 'string' },
      threshold: { type: 'string' },
      'block-size': { type: 'string' },
      folds: { type: 'string' },
      seed: { type: 'string' },
      confidence: { type: 'string' },
      'report-csv': { type: 'string' },
      geojson: { type: 'string' },
      'no-learning-curve': { type: 'boolean' },
    });
    if (!values.embeddings || !values.labels || !values.method || !values.out || !values.report) {
      throw new AppError(
        'bad-input',
        `--embeddings, --labels, --method, --out and --report are required.\n${usage}`,
      );
    }
    const classifier = spec(values);
    const threshold = number(values.threshold, 0, 'threshold');
    if (threshold < 0 || threshold > 1)
      throw new AppError('bad-input', `--threshold must be 0..1, got ${threshold}.`);
    const seed = number(values.seed, 1, 'seed', true);
    const imported = importGeoJsonLabels(emptyLabelState(), await readText(values.labels, 'labels'));
    for (const e of imported.errors)
      progress('labels', e.row, imported.errors.length, { refused_row: e.row, reason: e.reason });
    if (imported.state.classes.length < 2) {
      throw new AppError(
        'bad-input',
        `The labels name ${imported.state.classes.length} class(es); at least two are needed.`,
      );
    }
    try {
      await access(values.embeddings);
    } catch {
      throw new AppError('not-found', `Cannot read the embeddings file ${values.embeddings}.`);
    }
    const { grid: raw, georef } = await readEmbeddingsFile(values.embeddings, values.embeddings);
    const grid = { ...raw, georef: { epsg: georef.epsg, transform: georef.transform } };
    const gridSpec: GridSpec = {
      width: grid.width,
      height: grid.height,
      epsg: georef.epsg,
      transform: georef.transform,
    };
    const request = {
      spec: classifier,
      seed,
      folds: number(values.folds, 5, 'folds', true),
      learningCurve: !values['no-learning-curve'],
      ...(values['block-size'] ? { blockSizePx: number(values['block-size'], 0, 'block-size', true) } : {}),
    };
    const outcome = runClassification(grid, imported.state, request, {
      onProgress: (stage, done, total) => progress(stage, done, total),
    });
    const classDefs = imported.state.classes.map((c, value) => ({ value, name: c.name, colour: c.colour }));
    const classes = withUncertain(outcome.map, threshold);
    const metadata = { CLASSIFIER: classifier.method, SOURCE: values.embeddings };
    await writeFile(values.out, classificationToGeoTiff({ classes, grid: gridSpec, classDefs, metadata }));
    await writeFile(`${values.out}.aux.xml`, classificationAuxXml(classDefs));
    const confidencePath = values.confidence ?? values.out.replace(/(\.tiff?)?$/i, '-confidence.tif');
    await writeFile(confidencePath, confidenceToGeoTiff(outcome.map.confidence, gridSpec, metadata));
    const training =
      outcome.model.method === 'logreg'
        ? {
            iterations: outcome.model.iterations,
            converged: outcome.model.converged,
            gradient_max: outcome.model.gradientMax,
          }
        : undefined;
    const report = accuracyReport({
      classDefs,
      classifier,
      cv: outcome.cv,
      seed,
      curve: outcome.curve,
      labelledPixels: outcome.training.perClass,
      classes,
      grid: gridSpec,
      threshold,
      ...(training ? { training } : {}),
    });
    const full = {
      ...report,
      labels: {
        imported: imported.added,
        refused_rows: imported.errors,
        outside: outcome.training.outside,
        invalid_pixels: outcome.training.invalid,
        conflicting_pixels: outcome.training.conflicting,
      },
    };
    await writeFile(values.report, `${JSON.stringify(full, null, 2)}\n`);
    if (values['report-csv']) await writeFile(values['report-csv'], `${accuracyReportCsv(report)}\n`);
    if (values.geojson) {
      await writeFile(values.geojson, JSON.stringify(classificationToGeoJson(classes, gridSpec, classDefs)));
    }
    summary({
      out: values.out,
      confidence: confidencePath,
      report: values.report,
      method: classifier.method,
      classes: report.classes,
      overall_accuracy: report.overall_accuracy,
      balanced_accuracy: report.balanced_accuracy,
      folds: report.validation.folds,
      refused_label_rows: imported.errors.length,
    });
    return 0;
  },
};
