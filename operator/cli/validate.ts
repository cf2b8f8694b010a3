// `portico validate -f <file|dir>...`: for a GitOps repo's CI. Prints one line per rejected object
// (`Mapping/default/bad-one spec.prefix: …`) and exits 1 if there is any, 0 otherwise. Unresolved references
// (a Service or Secret not in the files) are warnings, since clusters usually hold objects the repo does not;
// --strict-refs makes them errors too.
import { runPipeline, parseCommonFlags, parseNow } from './render.js';
import type { ObjectStatus } from '../compile/types.js';

const HELP = `usage: portico validate -f <file|dir>... [--strict-refs] [--now <time>]

Check Mappings and TLSContexts; print one line per rejected object and exit 1 if there is any.

flags:
  -f, --filename <path>  a file, a directory (read recursively) or - for stdin; repeatable
      --strict-refs      also fail on references to Services/Secrets that are missing or unusable
      --now <time>       ISO time for certificate validity checks (default: now)
  -h, --help             this help
`;

function line(s: ObjectStatus, type: 'Accepted' | 'ResolvedRefs'): string | undefined {
  const c = s.conditions.find((x) => x.type === type);
  if (!c || c.status !== 'False') return undefined;
  return `${s.ref.kind}/${s.ref.namespace}/${s.ref.name} ${c.message}`;
}

export async function run(argv: string[]): Promise<number> {
  let flags;
  try {
    flags = parseCommonFlags(argv, { 'strict-refs': { type: 'boolean' } });
  } catch (err) {
    process.stderr.write(`portico validate: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const files = (flags.filename as string[] | undefined) ?? [];
  if (files.length === 0) {
    process.stderr.write(`portico validate: at least one -f is required\n\n${HELP}`);
    return 2;
  }
  const { manifests, result } = runPipeline(files, parseNow(flags.now as string | undefined));
  for (const w of manifests.warnings) process.stderr.write(`warning: ${w}\n`);

  let failures = 0;
  for (const s of result.statuses) {
    const invalid = line(s, 'Accepted');
    if (invalid) {
      process.stdout.write(`${invalid}\n`);
      failures++;
      continue;
    }
    const unresolved = line(s, 'ResolvedRefs');
    if (unresolved && flags['strict-refs']) {
      process.stdout.write(`${unresolved}\n`);
      failures++;
    } else if (unresolved) process.stderr.write(`warning: ${unresolved}\n`);
  }
  const checked = result.statuses.length;
  process.stderr.write(`portico validate: ${checked} object(s) checked, ${failures} rejected\n`);
  return failures > 0 ? 1 : 0;
}
