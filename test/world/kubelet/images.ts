// Container images of the test world: there is no registry and no container runtime, so each image the manifests
// and tests use maps to a program on this machine with the image's own entrypoint. An image that is not here is
// ErrImagePull, as on a node that cannot pull it. Envoy's tag must be the version that test/world/setup installed:
// the manifests and the tests run one Envoy release.
import { dirname, join } from 'node:path';
import type { WorldBinaries } from '../binaries.js';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
/** The examples' echo backend; test/world/echo-server.ts stands in for it, and the tests use it too. */
export const ECHO_IMAGE = 'mendhak/http-https-echo:31';

export interface ImageProgram {
  entrypoint: string[];
  cmd: string[];
  workingDir?: string;
  /** Put first on the container's PATH. */
  path: string[];
  /** The image's own files: folders of this machine mounted read-only into the container. */
  files: { hostPath: string; containerPath: string }[];
}

/**
 * Where the images built from this repository keep their files (the Dockerfile's /app). Only the folders an image
 * holds are mounted (dist, node_modules, crds, package.json; test for the echo server), each on its own: the
 * clone itself may be private to its owner (mktemp makes 0700 folders) while its contents are world-readable.
 */
const APP = '/var/lib/portico-world/app';

function appFiles(...names: string[]): ImageProgram['files'] {
  return names.map((n) => ({ hostPath: join(REPO_ROOT, n), containerPath: join(APP, n) }));
}

function parseImage(image: string): { repo: string; tag: string } {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const [repo, tag] = colon > slash ? [noDigest.slice(0, colon), noDigest.slice(colon + 1)] : [noDigest, 'latest'];
  return { repo: repo.replace(/^docker\.io\//, '').replace(/^library\//, ''), tag };
}

export function resolveImage(image: string, bin: WorldBinaries, binDir: string): ImageProgram | { error: string } {
  const { repo, tag } = parseImage(image);
  if (repo === 'envoyproxy/envoy') {
    if (tag !== `v${bin.envoyVersion}`) {
      return { error: `image ${image}: the test world has Envoy ${bin.envoyVersion} only (test/world/setup)` };
    }
    // The image's docker-entrypoint.sh runs `envoy "$@"` when the first argument is a flag.
    return { entrypoint: [bin.envoy], cmd: ['-c', '/etc/envoy/envoy.yaml'], path: [binDir], files: [] };
  }
  if (repo === 'portico/operator' || repo.endsWith('/portico-operator')) {
    // The Dockerfile: WORKDIR /app, ENTRYPOINT ["node", "dist/operator/cli.js"], CMD ["run"], and the pinned
    // Envoy at /usr/local/bin/envoy for the check before publishing (here: found on the container's PATH).
    // Mounted, the files stay visible whatever the pod mounts (the operator mounts its own /tmp over where a
    // clone may live).
    return {
      entrypoint: [process.execPath, 'dist/operator/cli.js'],
      cmd: ['run'],
      workingDir: APP,
      path: [dirname(bin.envoy)],
      files: appFiles('package.json', 'node_modules', 'dist', 'crds'),
    };
  }
  if (repo === 'mendhak/http-https-echo') {
    return {
      entrypoint: [process.execPath, '--import', 'tsx', join(APP, 'test', 'world', 'echo-server.ts')],
      cmd: [],
      workingDir: APP,
      path: [],
      files: appFiles('package.json', 'node_modules', 'test'),
    };
  }
  return { error: `image ${image} is not available in the test world` };
}
