// A small Dockerfile reader for tests: instructions with their stage, line continuations joined, comments
// dropped. Enough for the repository's own Dockerfile, not a general parser.

export interface Instruction {
  keyword: string; // upper-case: FROM, COPY, RUN, ...
  args: string; // the rest of the line, continuations joined
  stage: number; // index of the FROM it belongs to
  line: number; // 1-based line of the keyword
}

export interface Stage {
  index: number;
  image: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    if (/^\s*(#|$)/.test(logical)) continue;
    while (logical.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      logical = logical.trimEnd().slice(0, -1) + ' ' + lines[++i].trim();
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(logical);
    if (!m) throw new Error(`Dockerfile line ${start + 1}: cannot read "${logical}"`);
    const keyword = m[1].toUpperCase();
    const args = m[2].trim();
    if (keyword === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!f) throw new Error(`Dockerfile line ${start + 1}: cannot read FROM "${args}"`);
      stages.push({ index: stages.length, image: f[1], name: f[2], instructions: [] });
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile line ${start + 1}: ${keyword} before the first FROM`);
    stage.instructions.push({ keyword, args, stage: stage.index, line: start + 1 });
  }
  return stages;
}

export interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

/** COPY [--from=x] [--chown=...] src... dest (shell form only). */
export function parseCopy(args: string): Copy {
  const words = args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
  }
  const dest = words.pop();
  if (!dest || words.length === 0) throw new Error(`COPY ${args}: needs at least one source and a destination`);
  return { from, sources: words, dest };
}

/** ENTRYPOINT/CMD in exec form (a JSON array). */
export function parseExecForm(keyword: string, args: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    throw new Error(`${keyword} ${args}: use the exec form (a JSON array) so that signals reach node`);
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
    throw new Error(`${keyword} ${args}: expected an array of strings`);
  }
  return parsed;
}
