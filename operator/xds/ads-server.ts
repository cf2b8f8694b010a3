// The ADS server: gRPC (@grpc/grpc-js) StreamAggregatedResources, state of the world, with DiscoveryRequest and
// DiscoveryResponse encoded by protobufjs from Envoy's own descriptors (the same Root that validates configs),
// so there is one encoding of Envoy's messages in the operator. Each stream is an AdsStream (the protocol);
// this file does the I/O, encodes each resource once per snapshot, and tells its listener whenever what the
// connected Envoys serve changes (an ACK, a NACK, a connection or a disconnection).
import * as grpc from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import type { Logger } from '../log/logger.js';
import { AdsStream, type AdsRequest, type AdsResponse, type Nack } from './ads-stream.js';
import type { XdsResource, XdsSnapshot } from './published-resources.js';
import { convertMessage, messageType } from './proto-encode.js';
import { shortType } from './resource-types.js';

const ADS_PATH = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';
/** Snapshots remembered to tell which one an Envoy serves (it may lag a few behind while it ACKs). */
const HISTORY = 16;

export interface ConnectedEnvoy {
  /** The node id Envoy sent (its pod name in the manifests). */
  node: string;
  /** The newest config hash this Envoy has ACKed in full, if any. */
  serving?: string;
  nacks: Nack[];
}

export interface AdsServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  credentials: grpc.ServerCredentials;
  log: Logger;
  /** Something about what the connected Envoys serve changed. */
  onChange?: () => void;
}

let types: { request: protobuf.Type; response: protobuf.Type } | undefined;
const messages = () =>
  (types ??= {
    request: messageType('type.googleapis.com/envoy.service.discovery.v3.DiscoveryRequest'),
    response: messageType('type.googleapis.com/envoy.service.discovery.v3.DiscoveryResponse'),
  });

function decodeRequest(buf: Buffer): AdsRequest {
  const m = messages().request.toObject(messages().request.decode(buf), { defaults: true, longs: String }) as Record<
    string,
    any
  >;
  return {
    typeUrl: m.type_url,
    versionInfo: m.version_info,
    responseNonce: m.response_nonce,
    resourceNames: m.resource_names ?? [],
    errorDetail:
      m.error_detail && (m.error_detail.code || m.error_detail.message)
        ? { message: String(m.error_detail.message) }
        : undefined,
    node: m.node ? { id: m.node.id, cluster: m.node.cluster } : undefined,
  };
}

export class AdsServer {
  private readonly server = new grpc.Server({
    'grpc.max_send_message_length': -1,
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
  });
  private readonly streams = new Map<grpc.ServerDuplexStream<AdsRequest, Buffer>, AdsStream>();
  private snapshot: XdsSnapshot | undefined;
  private readonly history: XdsSnapshot[] = [];
  private readonly encoded = new WeakMap<XdsResource, Uint8Array>();
  port = 0;

  constructor(private readonly opts: AdsServerOptions) {
    const service: grpc.ServiceDefinition = {
      StreamAggregatedResources: {
        path: ADS_PATH,
        requestStream: true,
        responseStream: true,
        requestSerialize: (m: unknown) =>
          Buffer.from(
            messages()
              .request.encode(m as never)
              .finish(),
          ),
        requestDeserialize: decodeRequest,
        responseSerialize: (b: Buffer) => b,
        responseDeserialize: (b: Buffer) => b,
        originalName: 'streamAggregatedResources',
      },
    };
    this.server.addService(service, {
      StreamAggregatedResources: (call: grpc.ServerDuplexStream<AdsRequest, Buffer>) => this.onStream(call),
    });
  }

  async start(): Promise<number> {
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(`${this.opts.host}:${this.opts.port}`, this.opts.credentials, (err, port) =>
        err ? reject(err) : resolve(port),
      ),
    );
    this.opts.log.info('xDS server listening', { address: `${this.opts.host}:${this.port}` });
    return this.port;
  }

  /** Serve this snapshot from now on: every stream gets what changed, in push order. */
  setSnapshot(snapshot: XdsSnapshot): void {
    if (this.snapshot?.hash === snapshot.hash) return;
    this.snapshot = snapshot;
    this.history.push(snapshot);
    while (this.history.length > HISTORY) this.history.shift();
    for (const [call, stream] of this.streams) this.send(call, stream, stream.onSnapshot(snapshot));
  }

  current(): XdsSnapshot | undefined {
    return this.snapshot;
  }

  /** Every connected Envoy, what it serves and what it refused. */
  connected(): ConnectedEnvoy[] {
    return [...this.streams.values()].map((s) => {
      const serving = [...this.history].reverse().find((h) => s.serves(h))?.hash;
      return { node: s.node.id, serving, nacks: s.nacks() };
    });
  }

  private onStream(call: grpc.ServerDuplexStream<AdsRequest, Buffer>): void {
    const stream = new AdsStream(this.snapshot);
    this.streams.set(call, stream);
    const peer = call.getPeer();
    let announced = false;
    call.on('data', (req: AdsRequest) => {
      const before = JSON.stringify(stream.nacks());
      const hadNode = stream.node.id;
      let out: AdsResponse[];
      try {
        out = stream.onRequest(req);
      } catch (err) {
        this.opts.log.error('xDS request failed', { peer, error: (err as Error).message });
        return;
      }
      if (!announced && stream.node.id) {
        announced = true;
        this.opts.log.info('Envoy connected over xDS', { node: stream.node.id, peer });
      }
      if (req.errorDetail && req.responseNonce)
        this.opts.log.warn('Envoy refused an xDS update (NACK)', {
          node: stream.node.id || hadNode,
          type: shortType(req.typeUrl),
          message: req.errorDetail.message,
        });
      this.send(call, stream, out);
      if (req.responseNonce || JSON.stringify(stream.nacks()) !== before) this.opts.onChange?.();
    });
    const gone = () => {
      if (!this.streams.delete(call)) return;
      this.opts.log.info('Envoy disconnected from xDS', { node: stream.node.id, peer });
      this.opts.onChange?.();
    };
    call.on('end', () => {
      gone();
      call.end();
    });
    call.on('error', gone);
    call.on('cancelled', gone);
    call.on('close', gone);
  }

  private send(call: grpc.ServerDuplexStream<AdsRequest, Buffer>, stream: AdsStream, responses: AdsResponse[]): void {
    for (const r of responses) {
      let bytes: Buffer;
      try {
        bytes = this.encodeResponse(r);
      } catch (err) {
        this.opts.log.error('cannot encode an xDS response; not sent', {
          node: stream.node.id,
          type: shortType(r.typeUrl),
          error: (err as Error).message,
        });
        continue;
      }
      this.opts.log.debug('xDS push', {
        node: stream.node.id,
        type: shortType(r.typeUrl),
        version: r.versionInfo,
        resources: r.resources.length,
        bytes: bytes.length,
      });
      call.write(bytes);
    }
  }

  private encodeResponse(r: AdsResponse): Buffer {
    const type = messageType(r.typeUrl);
    const resources = r.resources.map((res) => {
      let value = this.encoded.get(res);
      if (!value) {
        value = type
          .encode(type.fromObject(convertMessage(type, res.json, `${shortType(r.typeUrl)} ${res.name}`) as never))
          .finish();
        this.encoded.set(res, value);
      }
      return { type_url: r.typeUrl, value };
    });
    const msg = { version_info: r.versionInfo, resources, type_url: r.typeUrl, nonce: r.nonce };
    return Buffer.from(messages().response.encode(messages().response.fromObject(msg)).finish());
  }

  async stop(): Promise<void> {
    // Envoy reconnects (to another replica, or to this one restarted); nothing to wait for.
    this.server.forceShutdown();
    this.streams.clear();
  }
}
