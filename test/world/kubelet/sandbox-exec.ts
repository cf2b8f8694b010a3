// How a container's process is started: in its pod's network namespace (`ip netns exec`, which also gives it a
// private mount namespace and the pod's resolv.conf), with its volumes bind-mounted at their mount paths, the root
// file system read-only when the container asks for it, and the container's user and group. Addresses and paths
// inside the pod are therefore exactly the manifests' (0.0.0.0:8080, 127.0.0.1:9901, /etc/portico/…).
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface BindMount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface SandboxCommand {
  netns: string;
  mounts: BindMount[];
  readOnlyRoot: boolean;
  uid: number;
  gid: number;
  workingDir: string;
  argv: string[];
}

// Binds first (a bind of a folder on a read-only mount would be read-only too), then the read-only remounts.
const LAUNCH = `set -e
root=$1
shift
ro=()
while [ "$1" != -- ]; do
  mount --bind "$1" "$2"
  if [ "$3" = ro ]; then ro+=("$2"); fi
  shift 3
done
shift
for m in "\${ro[@]}"; do mount -o remount,bind,ro "$m"; done
if [ "$root" = ro-root ]; then mount -o remount,bind,ro /; fi
cd "$1"
exec setpriv --reuid="$2" --regid="$3" --clear-groups -- "\${@:4}"`;

/** The argv that runs `cmd` as its container would run. Creates the mount points on the node if needed. */
export function sandboxArgv(cmd: SandboxCommand): string[] {
  const mountArgs: string[] = [];
  for (const m of cmd.mounts) {
    // A mount point must exist before the root is made read-only: an empty folder (or file) on the node.
    if (!existsSync(m.containerPath)) {
      if (statSync(m.hostPath).isDirectory()) mkdirSync(m.containerPath, { recursive: true });
      else {
        mkdirSync(dirname(m.containerPath), { recursive: true });
        writeFileSync(m.containerPath, '');
      }
    }
    mountArgs.push(m.hostPath, m.containerPath, m.readOnly ? 'ro' : 'rw');
  }
  return [
    'ip',
    'netns',
    'exec',
    cmd.netns,
    '/bin/bash',
    '-c',
    LAUNCH,
    'launch',
    cmd.readOnlyRoot ? 'ro-root' : 'rw-root',
    ...mountArgs,
    '--',
    cmd.workingDir,
    String(cmd.uid),
    String(cmd.gid),
    ...cmd.argv,
  ];
}
