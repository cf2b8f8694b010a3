// /portico/v1/config over real HTTP: the whole config comes back, however deep (it used to stop at depth 8 with
// "[depth]"), and secret material is removed by what its field is, wherever it sits.
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { runPipeline } from '../../operator/cli/render.js';
import { createLogger } from '../../operator/log/logger.js';
import { startHttpServer, type HttpServer } from '../../operator/server/http-server.js';
import { REDACTED } from '../../operator/server/config-redaction.js';

const KEY =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

async function serve(
  json: string,
): Promise<{ server: HttpServer; get: () => Promise<{ hash: string; config: unknown }> }> {
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    registry: new Registry(),
    log: createLogger({ level: 'silent' }),
    view: {
      version: 'test',
      readiness: () => ({ ready: true, detail: [] }),
      mappings: () => [],
      config: () => ({ hash: 'h1', json, published: true }),
      stats: () => Promise.reject(new Error('not read here')),
    },
  });
  const get = async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/portico/v1/config`);
    expect(res.status).to.equal(200);
    return (await res.json()) as { hash: string; config: unknown };
  };
  return { server, get };
}

/** An object nested `depth` levels, alternating objects and arrays, with a string at the bottom. */
function deep(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = depth; i > 0; i--) v = i % 2 === 0 ? [v, i] : { level: i, next: v };
  return v;
}

describe('/portico/v1/config', () => {
  const servers: HttpServer[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));

  it('serves the rendered examples whole: byte for byte the same JSON as the stored config', async () => {
    const { envoy } = runPipeline(['examples/'], '2030-01-01T00:00:00Z');
    const { server, get } = await serve(envoy.json);
    servers.push(server);
    const body = await get();
    expect(body.hash).to.equal('h1');
    expect(JSON.stringify(body.config)).to.equal(JSON.stringify(JSON.parse(envoy.json)));
    expect(JSON.stringify(body.config)).to.not.include('[depth]');
  });

  it('serves a 2,000-level deep config whole', async () => {
    const config = { static_resources: { listeners: [deep(2000)] } };
    const { server, get } = await serve(JSON.stringify(config));
    servers.push(server);
    expect(JSON.stringify((await get()).config)).to.equal(JSON.stringify(config));
  });

  it('removes inline keys and secrets by field, at any depth, and keeps file paths', async () => {
    const tlsContext = {
      common_tls_context: {
        tls_certificates: [
          {
            certificate_chain: { filename: '/etc/portico/certs/a.crt' },
            private_key: { filename: '/etc/portico/certs/a.key' },
          },
          { certificate_chain: { inline_string: 'CERT' }, private_key: { inline_string: KEY } },
          { pkcs12: { inline_bytes: 'UEtDUzEy' }, password: { inline_string: 'hunter2' } },
        ],
      },
      session_ticket_keys: { keys: [{ inline_bytes: 'a2V5MQ==' }, { filename: '/etc/ticket.key' }] },
    };
    const config = {
      a: deep(30),
      nested: { down: { below: [{ transport_socket: { typed_config: tlsContext } }] } },
      note: `a key pasted in a header: ${KEY}`,
      oauth: { token_secret: { inline_string: 's3cret' }, hmac_secret: { environment_variable: 'HMAC' } },
    };
    const { server, get } = await serve(JSON.stringify(config));
    servers.push(server);
    const served = (await get()).config as typeof config;
    const text = JSON.stringify(served);
    for (const secret of ['MIGHAgEAMBMGByqGSM49', 'hunter2', 'UEtDUzEy', 'a2V5MQ==', 's3cret'])
      expect(text).to.not.include(secret);
    const certs = (served.nested.down.below[0].transport_socket.typed_config as typeof tlsContext).common_tls_context
      .tls_certificates;
    expect(certs[0]).to.deep.equal(tlsContext.common_tls_context.tls_certificates[0]);
    expect(certs[1]).to.deep.equal({
      certificate_chain: { inline_string: 'CERT' },
      private_key: { inline_string: REDACTED },
    });
    expect(certs[2]).to.deep.equal({ pkcs12: { inline_bytes: REDACTED }, password: { inline_string: REDACTED } });
    expect(
      (served.nested.down.below[0].transport_socket.typed_config as typeof tlsContext).session_ticket_keys.keys[1],
    ).to.deep.equal({ filename: '/etc/ticket.key' });
    expect(served.oauth.hmac_secret).to.deep.equal({ environment_variable: 'HMAC' });
    expect(served.note).to.equal('a key pasted in a header: [redacted private key]\n');
    expect(served.a).to.deep.equal(config.a);
  });
});
