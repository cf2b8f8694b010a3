// Issue 19 item 6: the saved state holds every Secret, so its folder is 0700 and its files 0600 (an older,
// wider file is narrowed); and every acknowledged write is on disk before the answer, so `kill -9` right after
// a burst of creates loses none of them (it lost 34 of 444 when saving was only debounced).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startApiServer } from '../../operator/apiserver/index.js';
import { request } from '../support/raw-http.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const CHILD = join(import.meta.dirname, 'fixtures', 'serve-state.ts');
const CMS = '/api/v1/namespaces/default/configmaps';
const mode = (p: string): number => statSync(p).mode & 0o777;

describe('apiserver: saved state is private and durable', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'portico-durable-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the state folder 0700 and the state, journal and temporary files 0600', async () => {
    const statePath = join(dir, 'new-folder', 'state.json');
    const server = await startApiServer({ statePath });
    await request(server.url, 'POST', '/api/v1/namespaces/default/secrets', {
      metadata: { name: 's' },
      stringData: { password: 'hunter2' },
    });
    expect(mode(join(dir, 'new-folder'))).to.equal(0o700);
    expect(mode(join(dir, 'new-folder', 'state.journal'))).to.equal(0o600);
    await server.close();
    expect(mode(statePath)).to.equal(0o600);
    expect(existsSync(`${statePath}.tmp`)).to.equal(false);
  });

  it('narrows a state file and a leftover temporary file that an older version left readable', async () => {
    mkdirSync(join(dir, 'old'));
    const statePath = join(dir, 'old', 'state.json');
    writeFileSync(statePath, JSON.stringify({ resourceVersion: 1, objects: [] }));
    writeFileSync(`${statePath}.tmp`, 'half-written');
    chmodSync(statePath, 0o644);
    chmodSync(`${statePath}.tmp`, 0o644);
    const server = await startApiServer({ statePath });
    await request(server.url, 'POST', CMS, { metadata: { name: 'c' } });
    await server.close();
    expect(mode(statePath)).to.equal(0o600);
    expect(existsSync(`${statePath}.tmp`)).to.equal(false);
  });

  it('keeps every acknowledged create across kill -9', async () => {
    const statePath = join(dir, 'state.json');
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CHILD, statePath], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    const url = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.trim());
      });
    });
    const acknowledged: string[] = [];
    for (let i = 0; i < 300; i++) {
      const r = await request(url, 'POST', CMS, { metadata: { name: `cm-${i}` }, data: { i: String(i) } });
      if (r.status === 201) acknowledged.push(`cm-${i}`);
    }
    child.kill('SIGKILL');
    await exited;
    expect(acknowledged).to.have.length(300);

    const restarted = await startApiServer({ statePath });
    try {
      const names = (await request(restarted.url, 'GET', CMS)).body.items.map((o: any) => o.metadata.name);
      expect(names.filter((n: string) => n.startsWith('cm-')).sort()).to.deep.equal([...acknowledged].sort());
    } finally {
      await restarted.close();
    }
  });
});
