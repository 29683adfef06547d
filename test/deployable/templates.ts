import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { integSnapshotTemplates, synthFixtures, TemplateFile } from '../../scripts/fixtures';

/** A template with where it comes from. */
export interface LoadedTemplate extends TemplateFile {
  readonly template: any;
}

/** Reads template files. */
export function load(files: TemplateFile[]): LoadedTemplate[] {
  return files.map(t => ({ ...t, template: JSON.parse(fs.readFileSync(t.file, 'utf8')) }));
}

/** The example, the default and the options apps, synthesized into a temporary directory. */
export function synthesizedTemplates(): LoadedTemplate[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deployable-'));
  try {
    return load(synthFixtures(outdir));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every committed integ snapshot template. */
export function integTemplates(): LoadedTemplate[] {
  return load(integSnapshotTemplates());
}

/** One place in a template: `<source> <stack> <logical id>`. */
export function placeOf(t: TemplateFile, resource: string): string {
  return `${t.source} ${t.stack} ${resource}`;
}
