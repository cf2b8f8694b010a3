// Real Envoy processes for `portico dev`, one per config, handed over by Envoy's hot restart: the new process
// (the next --restart-epoch, the same --base-id) takes the listening sockets and the admin port from the running
// one, which stops accepting, asks its connections to close, and is shut down by the new one once its requests
// in flight had time to finish. No connection is refused and none is cut during a change. Each config and its
// certificate files are written to their own folder (0700, files 0600) in the private folder, and checked with
// `envoy --mode validate` first: a config Envoy refuses never reaches the running process.
//
// When a new process fails anyway (it exits or is not ready in time), the old one keeps serving its listeners,
// but it has already given up its admin port (Envoy's hot restart does that first) and cannot be hot-restarted
// again, so the next config starts Envoy afresh (a cold start: the old process is stopped, then a new one with a
// new base id binds the ports; connections to the old one are cut). A process that exits on its own is reported.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVerdict } from '../envoy-check/index.js';
import { CERTS_DIR } from '../envoy/constants.js';
import { envoyCommand, type EnvoyContainer, type NodeResources } from './envoy-command.js';
import { PID_FILE, STOP_GRACE_MS } from './leftover-envoys.js';

export interface EpochConfig {
  /** The published config's head ConfigMap: in folder names and messages. */
  name: string;
  /** The bootstrap to load (already made local, certificate paths under certsDir(epoch)). */
  bootstrap: (certsDir: string) => object;
  /** File name → PEM, as the pod's published-certs volume shows them. */
  certFiles: Readonly<Record<string, string>>;
  container?: EnvoyContainer;
}

export type LoadOutcome =
  | { kind: 'serving'; epoch: number; how: 'hot restart' | 'cold start'; ms: number }
  /** `envoy --mode validate` refused it: nothing changed. */
  | { kind: 'rejected'; message: string }
  /** It could not be served (Envoy exited or was not ready in time); `serving` says whether the old one still is. */
  | { kind: 'failed'; message: string; serving: boolean };

export interface EnvoyEpochsOptions {
  envoyPath: string;
  /** The private folder (0700) for configs, certificates, the hot-restart socket, the log and the pid file. */
  dir: string;
  host: string;
  adminPort: number;
  readinessPort: number;
  node: NodeResources;
  /** Envoy's error and critical log lines once it serves, and notes about the command line. */
  onLog(line: string): void;
  /** The serving process exited by itself. */
  onExit(message: string): void;
  readyTimeoutMs?: number;
}

interface EnvoyProcess {
  epoch: number;
  child: ChildProcess;
  folder: string;
  configPath: string;
  exited: Promise<void>;
  alive: boolean;
  /** Error/critical lines (Envoy's own words, without its log prefix). */
  errors: string[];
  tail: string[];
  ready: boolean;
}

/** Unix socket paths are limited to 107 bytes; Envoy appends `_parent_<id>` (up to ~25 bytes). */
const MAX_SOCKET_PREFIX = 80;
const LOG_LINE = /^\[[^\]]*\]\[\d+\]\[(\w+)\]\[[^\]]*\] (?:\[[^\]]*\] )?(.*)$/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function get(
  host: string,
  port: number,
  path: string,
  timeoutMs = 1_000,
): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

export class EnvoyEpochs {
  private processes = new Set<EnvoyProcess>();
  private current: EnvoyProcess | undefined;
  /** The running process gave up its admin to a new one that failed: it cannot be hot-restarted again. */
  private wedged = false;
  private epoch = -1;
  private baseId: number | undefined;
  private stopping = false;
  private readonly log: WriteStream;
  private readonly socketDir: string;
  private readonly ownSocketDir: boolean;

  constructor(private readonly opts: EnvoyEpochsOptions) {
    this.log = createWriteStream(join(opts.dir, 'envoy.log'), { flags: 'a', mode: 0o600 });
    this.ownSocketDir = join(opts.dir, 'hot-restart').length > MAX_SOCKET_PREFIX;
    this.socketDir = this.ownSocketDir ? mkdtempSync(join(tmpdir(), 'portico-envoy-')) : opts.dir;
    // Folders of earlier runs (their processes are gone: stopLeftoverEnvoys ran first).
    for (const f of readdirSync(opts.dir))
      if (f.startsWith('epoch-')) rmSync(join(opts.dir, f), { recursive: true, force: true });
  }

  get logPath(): string {
    return join(this.opts.dir, 'envoy.log');
  }

  async load(cfg: EpochConfig): Promise<LoadOutcome> {
    const hot = !!this.current?.alive && !this.wedged && this.baseId !== undefined;
    const epoch = hot ? this.epoch + 1 : 0;
    const folder = join(this.opts.dir, `epoch-${epoch}-${cfg.name}`);
    const certsDir = join(folder, 'certs');
    const configPath = join(folder, 'envoy.json');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(certsDir, { recursive: true, mode: 0o700 });
    for (const [file, pem] of Object.entries(cfg.certFiles)) writeFileSync(join(certsDir, file), pem, { mode: 0o600 });
    writeFileSync(configPath, JSON.stringify(cfg.bootstrap(certsDir)), { mode: 0o600 });
    const cmd = envoyCommand(cfg.container, this.opts.node, {
      configPath,
      epoch,
      baseId: hot ? this.baseId : undefined,
      baseIdPath: join(this.opts.dir, 'base-id'),
      socketPath: join(this.socketDir, 'hot-restart'),
    });
    for (const note of cmd.notes) this.opts.onLog(note);
    const podPaths = (text: string) =>
      text.split(`${certsDir}/`).join(`${CERTS_DIR}/`).split(configPath).join('envoy.json');

    const verdict = await this.validate(cmd.validate);
    if (verdict.kind !== 'accepted') {
      rmSync(folder, { recursive: true, force: true });
      if (verdict.kind === 'rejected') return { kind: 'rejected', message: podPaths(verdict.message) };
      return { kind: 'failed', message: podPaths(verdict.message), serving: !!this.current?.alive };
    }

    if (this.stopping) {
      rmSync(folder, { recursive: true, force: true });
      return { kind: 'failed', message: 'portico dev is stopping', serving: false };
    }
    const started = performance.now();
    if (!hot) {
      await this.stopAll();
      this.wedged = false;
      rmSync(join(this.opts.dir, 'base-id'), { force: true });
    }
    const proc = this.spawn(epoch, folder, configPath, cmd.run);
    const ready = await this.waitReady(proc);
    if (ready !== true) {
      if (proc.alive) await this.stopProcess(proc);
      rmSync(folder, { recursive: true, force: true });
      if (hot) this.wedged = true;
      const serving = !!this.current?.alive;
      return { kind: 'failed', message: podPaths(ready), serving };
    }
    if (!hot) this.baseId = Number(readFileSync(join(this.opts.dir, 'base-id'), 'utf8').trim());
    this.epoch = epoch;
    this.current = proc;
    return {
      kind: 'serving',
      epoch,
      how: hot ? 'hot restart' : 'cold start',
      ms: Math.round(performance.now() - started),
    };
  }

  /** The serving process's epoch and config file, from its admin (undefined when it does not answer). */
  async serverInfo(): Promise<{ epoch: number; configPath: string; state: string } | undefined> {
    const r = await get(this.opts.host, this.opts.adminPort, '/server_info');
    if (r?.status !== 200) return undefined;
    const info = JSON.parse(r.body) as {
      state: string;
      command_line_options: { restart_epoch: number; config_path: string };
    };
    return {
      epoch: info.command_line_options.restart_epoch,
      configPath: info.command_line_options.config_path,
      state: info.state,
    };
  }

  /** Stops every Envoy process (SIGTERM: Envoy closes its listeners and exits; SIGKILL after 5 s). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.stopAll();
    for (const f of readdirSync(this.opts.dir)) {
      if (f.startsWith('epoch-') || f.startsWith('hot-restart') || f === 'base-id' || f === PID_FILE)
        rmSync(join(this.opts.dir, f), { recursive: true, force: true });
    }
    if (this.ownSocketDir) rmSync(this.socketDir, { recursive: true, force: true });
    if (!this.log.writableEnded) await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }

  private validate(args: string[]): Promise<ReturnType<typeof parseVerdict>> {
    const started = performance.now();
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      const child = spawn(this.opts.envoyPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      child.on('error', (err) => {
        clearTimeout(timer);
        resolve({ kind: 'failed', message: `cannot run ${this.opts.envoyPath}: ${err.message}`, ms: 0 });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve(parseVerdict(code, signal, stdout, stderr, Math.round(performance.now() - started)));
      });
    });
  }

  private spawn(epoch: number, folder: string, configPath: string, args: string[]): EnvoyProcess {
    const child = spawn(this.opts.envoyPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const proc: EnvoyProcess = {
      epoch,
      child,
      folder,
      configPath,
      alive: true,
      errors: [],
      tail: [],
      ready: false,
      exited: Promise.resolve(),
    };
    proc.exited = new Promise<void>((resolve) => {
      child.once('error', (err) => {
        proc.errors.push(`cannot run ${this.opts.envoyPath}: ${err.message}`);
        proc.alive = false;
        resolve();
      });
      child.once('close', (code, signal) => {
        proc.alive = false;
        this.processes.delete(proc);
        this.writePids();
        if (proc !== this.current) rmSync(proc.folder, { recursive: true, force: true });
        else if (!this.stopping) {
          this.current = undefined;
          const why = proc.errors.at(-1) ?? proc.tail.at(-1) ?? 'no message';
          this.opts.onExit(`Envoy (epoch ${epoch}) exited ${signal ? `on ${signal}` : `with code ${code}`}: ${why}`);
        }
        resolve();
      });
    });
    this.processes.add(proc);
    this.writePids();
    const lines = (stream: NodeJS.ReadableStream, isStderr: boolean) => {
      let rest = '';
      stream.on('data', (d: Buffer) => {
        const text = rest + d.toString('utf8');
        const parts = text.split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) {
          if (!this.log.writableEnded) this.log.write(`[epoch ${epoch}] ${line}\n`);
          if (!isStderr) continue;
          const m = LOG_LINE.exec(line);
          const [level, message] = m ? [m[1], m[2]] : ['', line];
          proc.tail = [...proc.tail.slice(-9), message];
          if (level === 'critical' || level === 'error') {
            proc.errors.push(message);
            if (proc.ready) this.opts.onLog(`Envoy (epoch ${epoch}): ${message}`);
          }
        }
      });
    };
    lines(child.stdout!, false);
    lines(child.stderr!, true);
    return proc;
  }

  /** true once the process serves its config: its admin names this epoch and config file, LIVE, and /ready answers. */
  private async waitReady(proc: EnvoyProcess): Promise<true | string> {
    const deadline = Date.now() + (this.opts.readyTimeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      if (!proc.alive) {
        await proc.exited;
        return proc.errors.length > 0
          ? proc.errors.join('; ')
          : `Envoy exited before it was ready: ${proc.tail.slice(-3).join(' / ') || 'no output'}`;
      }
      const info = await this.serverInfo().catch(() => undefined);
      if (info?.epoch === proc.epoch && info.configPath === proc.configPath && info.state === 'LIVE') {
        const ready = await get(this.opts.host, this.opts.readinessPort, '/ready');
        if (ready?.status === 200 && proc.alive) {
          proc.ready = true;
          return true;
        }
      }
      await sleep(50);
    }
    return `Envoy (epoch ${proc.epoch}) was not ready within ${(this.opts.readyTimeoutMs ?? 30_000) / 1000} s`;
  }

  private async stopProcess(proc: EnvoyProcess): Promise<void> {
    if (!proc.alive) return;
    proc.child.kill('SIGTERM');
    const killed = await Promise.race([proc.exited.then(() => false), sleep(STOP_GRACE_MS).then(() => true)]);
    if (killed && proc.alive) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
  }

  private async stopAll(): Promise<void> {
    const all = [...this.processes];
    this.current = undefined;
    await Promise.all(all.map((p) => this.stopProcess(p)));
  }

  private writePids(): void {
    if (this.stopping && this.processes.size === 0) return;
    writeFileSync(join(this.opts.dir, PID_FILE), [...this.processes].map((p) => `${p.child.pid}\n`).join(''), {
      mode: 0o600,
    });
  }
}
