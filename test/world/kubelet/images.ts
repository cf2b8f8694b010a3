// Container images of the test world: there is no registry and no container runtime, so each image the manifests
// and tests use maps to a program on this machine with the image's own entrypoint. An image that is not here is
// ErrImagePull, as on a node that cannot pull it. Envoy's tag must be the version that test/world/setup installed:
// the manifests and the tests run one Envoy release.
import { join } from 'node:path';
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
    return { entrypoint: [bin.envoy], cmd: ['-c', '/etc/envoy/envoy.yaml'], path: [binDir] };
  }
  if (repo === 'portico/operator' || repo.endsWith('/portico-operator')) {
    // The Dockerfile: WORKDIR /app, ENTRYPOINT ["node", "dist/operator/cli.js"], CMD ["run"].
    return { entrypoint: [process.execPath, join(REPO_ROOT, 'dist', 'operator', 'cli.js')], cmd: ['run'], workingDir: REPO_ROOT, path: [] };
  }
  if (repo === 'mendhak/http-https-echo') {
    return {
      entrypoint: [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'test', 'world', 'echo-server.ts')],
      cmd: [],
      workingDir: REPO_ROOT,
      path: [],
    };
  }
  return { error: `image ${image} is not available in the test world` };
}
