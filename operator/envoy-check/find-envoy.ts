// Where the Envoy binary for the real check is: an explicit path (a flag, or PORTICO_ENVOY for the operator)
// or else `envoy` on PATH. `missing` when there is none, so callers can say so and keep the proto check.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface FoundEnvoy {
  path: string;
  /** How it was found, for messages: "--envoy=/x" or "envoy on PATH". */
  source: string;
  /** Set when an explicit path was given but is not usable (the PATH one is used instead). */
  note?: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `explicit` is a path the user gave ("" or undefined means: look on PATH). */
export function findEnvoy(
  explicit: string | undefined,
  explicitSource = '--envoy',
  pathEnv = process.env.PATH ?? '',
): FoundEnvoy | { missing: string } {
  if (explicit && executable(explicit)) return { path: explicit, source: `${explicitSource}=${explicit}` };
  const unusable = explicit ? `${explicitSource}=${explicit} is not an executable file` : undefined;
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'envoy');
    if (executable(candidate))
      return {
        path: candidate,
        source: 'envoy on PATH',
        ...(unusable ? { note: `${unusable}; using ${candidate} (envoy on PATH)` } : {}),
      };
  }
  return { missing: `${unusable ? `${unusable} and there is` : 'there is'} no envoy on PATH` };
}
