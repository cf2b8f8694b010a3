// Container probes as the kubelet runs them: httpGet (200–399 is success) and tcpSocket from the node to the pod IP,
// exec in the container's sandbox; period, timeout and thresholds as in the pod spec, with Kubernetes' defaults.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

export interface Probe {
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string };
  tcpSocket?: { port: number | string; host?: string };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
}

export function resolvePort(port: number | string, ports: ContainerPort[] | undefined): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = (ports ?? []).find((p) => p.name === port);
  if (!named) throw new Error(`port "${port}" is not a named port of the container`);
  return named.containerPort;
}

export type ProbeResult = { ok: true } | { ok: false; message: string };

function httpProbe(host: string, port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = http.get(
      { host, port, path, timeout: timeoutMs, headers: { 'User-Agent': 'kube-probe/1.36' } },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(
          code >= 200 && code < 400
            ? { ok: true }
            : { ok: false, message: `HTTP probe failed with statuscode: ${code}` },
        );
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')),
    );
    req.on('error', (err) => resolve({ ok: false, message: `Get "http://${host}:${port}${path}": ${err.message}` }));
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: timeoutMs });
    s.on('connect', () => {
      s.destroy();
      resolve({ ok: true });
    });
    s.on('timeout', () => {
      s.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    s.on('error', (err) => resolve({ ok: false, message: `dial tcp ${host}:${port}: ${err.message}` }));
  });
}

/** Runs `argv` (already wrapped for the sandbox) with a deadline; exit 0 is success. */
export function execWithDeadline(
  argv: string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, output: err.message });
    });
  });
}

export async function runProbe(
  probe: Probe,
  podIp: string,
  ports: ContainerPort[] | undefined,
  execArgv: (command: string[]) => { argv: string[]; env: NodeJS.ProcessEnv },
): Promise<ProbeResult> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.httpGet) {
      return await httpProbe(
        probe.httpGet.host ?? podIp,
        resolvePort(probe.httpGet.port, ports),
        probe.httpGet.path ?? '/',
        timeoutMs,
      );
    }
    if (probe.tcpSocket)
      return await tcpProbe(probe.tcpSocket.host ?? podIp, resolvePort(probe.tcpSocket.port, ports), timeoutMs);
    if (probe.exec) {
      const { argv, env } = execArgv(probe.exec.command);
      const r = await execWithDeadline(argv, timeoutMs, env);
      return r.code === 0
        ? { ok: true }
        : { ok: false, message: `command failed (exit ${r.code}): ${r.output.slice(-500)}` };
    }
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  return { ok: false, message: 'probe has no handler' };
}
