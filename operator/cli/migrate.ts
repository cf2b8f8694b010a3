// `portico migrate -f <files|dirs>… [-o yaml|json]`: Emissary and Ambassador objects in, Portico objects out on
// standard output (ready for kubectl apply), and on standard error a report per source object (each field carried,
// changed or dropped) with a summary line. Exit 0 when everything was carried, 3 when something was dropped, 1
// when an input cannot be read (with its file and line), 2 on bad flags. The conversion is operator/migrate/.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { LineCounter, parseAllDocuments } from 'yaml';
import { listManifestFiles } from './manifest-files.js';
import { MigrateInputError, anythingDropped, formatReport, migrate, type SourceDocument } from '../migrate/index.js';

const HELP = `usage: portico migrate -f <file|dir>... [-o yaml|json]

Convert Emissary/Ambassador Mappings, TLSContexts and Hosts (getambassador.io/v2, v3alpha1) and Services
annotated with getambassador.io/config (ambassador/v0, v1) into Portico objects, printed on standard output.
A report of every field (carried, changed: how, dropped: why) goes to standard error.

exit status: 0 everything carried, 3 something dropped, 1 unreadable input, 2 bad flags

flags:
  -f, --filename <path>  a file, a directory (read recursively) or - for stdin; repeatable
  -o, --output <format>  yaml (default) or json (a List)
  -h, --help             this help
`;

/** The documents of one file with the line each starts on; a YAML error names the file and line. */
export function readSourceDocuments(text: string, file: string): SourceDocument[] {
  const lineCounter = new LineCounter();
  const out: SourceDocument[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter, uniqueKeys: false })) {
    if (Array.isArray(doc)) continue;
    const error = doc.errors[0];
    if (error)
      throw new MigrateInputError(
        `${file}:${error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`,
      );
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const object = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (object === null || object === undefined) continue;
    const source = `${file}:${lineCounter.linePos(start).line}`;
    const items =
      (object as { kind?: unknown; items?: unknown }).kind === 'List'
        ? (object as { items?: unknown }).items
        : undefined;
    if (Array.isArray(items))
      out.push(...items.map((item, i) => ({ object: item, source: `${source} (items[${i}])` })));
    else out.push({ object, source });
  }
  return out;
}

export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        filename: { type: 'string', short: 'f', multiple: true },
        output: { type: 'string', short: 'o', default: 'yaml' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`portico migrate: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const files = values.filename ?? [];
  if (files.length === 0 || (values.output !== 'yaml' && values.output !== 'json')) {
    process.stderr.write(
      `portico migrate: ${files.length === 0 ? 'at least one -f is required' : `-o must be yaml or json, not ${values.output}`}\n\n${HELP}`,
    );
    return 2;
  }
  const docs: SourceDocument[] = [];
  try {
    for (const file of listManifestFiles(files)) {
      const name = file === '-' ? '<stdin>' : file;
      docs.push(...readSourceDocuments(readFileSync(file === '-' ? 0 : file, 'utf8'), name));
    }
  } catch (err) {
    process.stderr.write(`portico migrate: ${(err as Error).message}\n`);
    return 1;
  }
  let result;
  try {
    result = migrate(docs);
  } catch (err) {
    if (!(err instanceof MigrateInputError)) throw err;
    process.stderr.write(`portico migrate: ${err.message}\n`);
    return 1;
  }
  const { objects, reports } = result;
  process.stdout.write(
    values.output === 'json'
      ? `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`
      : objects.map((o) => yaml.dump(o, { lineWidth: 120, noRefs: true })).join('---\n'),
  );
  process.stderr.write(formatReport(reports, objects.length));
  return anythingDropped(reports) ? 3 : 0;
}
