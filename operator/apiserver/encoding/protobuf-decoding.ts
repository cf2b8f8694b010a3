// Decodes the Kubernetes protobuf wire format (application/vnd.kubernetes.protobuf) for the handful of
// built-ins kubectl's typed create commands send (protobuf-schemas.ts), into the JSON object the rest of
// the server handles. kubectl 1.32 has no fallback to JSON after a 415 for protobuf (client-go retries with
// JSON only when it sent CBOR), so without this `kubectl create namespace foo` could never work.
//
// Envelope: the 4 bytes "k8s\0", then runtime.Unknown {1: typeMeta {1: apiVersion, 2: kind}, 2: raw,
// 3: contentEncoding, 4: contentType}; `raw` is the object's own message. Go marshals every non-pointer
// field even when empty, so zero values are dropped (JSON `omitempty`), except for pointer fields. The wire
// itself (varints, lengths, bounds) is read by protobufjs; this file maps fields to JSON by the schemas.
import protobuf from 'protobufjs';
import { DECODABLE_KINDS, MESSAGES, type FieldSpec } from './protobuf-schemas.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export class ProtobufDecodeError extends Error {}

type WireValue = { wire: 0; value: number } | { wire: 2; bytes: Buffer } | { wire: 1 | 5; bytes: Buffer };

/** The fields of one message, in wire order, read by protobufjs's Reader (varints, lengths, bounds). */
function* fields(buf: Buffer, where: string): Generator<{ num: number; v: WireValue }> {
  const reader = protobuf.Reader.create(buf);
  const read = <T>(what: () => string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      throw new ProtobufDecodeError(
        `truncated ${what()} in ${where} (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  };
  while (reader.pos < reader.len) {
    const key = read(
      () => 'field key',
      () => reader.uint32(),
    );
    const num = key >>> 3;
    const wire = key & 7;
    const field = () => `field ${num}`;
    if (wire === 0) yield { num, v: { wire: 0, value: read(field, () => toNumber(reader.int64())) } };
    else if (wire === 2) yield { num, v: { wire: 2, bytes: read(field, () => asBuffer(reader.bytes())) } };
    else if (wire === 1 || wire === 5) {
      const start = reader.pos;
      read(field, () => reader.skip(wire === 1 ? 8 : 4));
      yield { num, v: { wire, bytes: buf.subarray(start, reader.pos) } };
    } else throw new ProtobufDecodeError(`unsupported wire type ${wire} for field ${num} in ${where}`);
  }
}

/** int64 as a JS number (exact to 2^53; Kubernetes' int64 fields here are generations, ports, counts). */
const toNumber = (v: number | protobuf.Long): number => protobuf.util.LongBits.from(v).toNumber();
const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.length));

const isEmpty = (v: WireValue): boolean => (v.wire === 0 ? v.value === 0 : v.bytes.length === 0);

function asBytes(v: WireValue, where: string): Buffer {
  if (v.wire !== 2) throw new ProtobufDecodeError(`${where}: expected a length-delimited value`);
  return v.bytes;
}

function asInt(v: WireValue, where: string): number {
  if (v.wire !== 0) throw new ProtobufDecodeError(`${where}: expected a varint`);
  return v.value;
}

function decodeMapEntry(buf: Buffer, valueType: 'string' | 'bytes', where: string): [string, string] {
  let key = '';
  let value: Buffer = Buffer.alloc(0);
  for (const { num, v } of fields(buf, where)) {
    if (num === 1) key = asBytes(v, where).toString('utf8');
    else if (num === 2) value = asBytes(v, where);
  }
  return [key, valueType === 'bytes' ? value.toString('base64') : value.toString('utf8')];
}

function decodeIntOrString(buf: Buffer, where: string): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  for (const { num, v } of fields(buf, where)) {
    if (num === 1) type = asInt(v, where);
    else if (num === 2) intVal = asInt(v, where);
    else if (num === 3) strVal = asBytes(v, where).toString('utf8');
  }
  return type === 1 ? strVal : intVal;
}

function decodeValue(spec: FieldSpec, v: WireValue, where: string): unknown {
  const t = spec.type;
  if (t === 'string') return asBytes(v, where).toString('utf8');
  if (t === 'bytes') return asBytes(v, where).toString('base64');
  if (t === 'int') return asInt(v, where);
  if (t === 'bool') return asInt(v, where) !== 0;
  if (t === 'intOrString') return decodeIntOrString(asBytes(v, where), where);
  if (t === 'time') return undefined;
  if ('map' in t) return decodeMapEntry(asBytes(v, where), t.map, where);
  return decodeMessage(asBytes(v, where), t.message, where);
}

function isZero(x: unknown): boolean {
  if (x === undefined || x === '' || x === 0 || x === false) return true;
  if (Array.isArray(x)) return x.length === 0;
  return typeof x === 'object' && x !== null && Object.keys(x).length === 0;
}

export function decodeMessage(buf: Buffer, type: string, where = type): Record<string, unknown> {
  const spec = MESSAGES[type];
  const out: Record<string, any> = {};
  for (const { num, v } of fields(buf, where)) {
    const f = spec[num];
    if (!f) {
      // Go writes unset non-pointer fields as empty values; anything else we cannot represent.
      if (isEmpty(v)) continue;
      throw new ProtobufDecodeError(`cannot decode field ${num} of ${type} (at ${where})`);
    }
    const at = `${where}.${f.name}`;
    const value = decodeValue(f, v, at);
    if (typeof f.type === 'object' && 'map' in f.type) {
      const [k, val] = value as [string, string];
      (out[f.name] ??= {})[k] = val;
    } else if (f.repeated) {
      (out[f.name] ??= []).push(value);
    } else if (f.pointer ? value !== undefined : !isZero(value)) {
      out[f.name] = value;
    }
  }
  return out;
}

/** Decodes a protobuf request body into a JSON object (apiVersion and kind from the envelope). */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw new ProtobufDecodeError('the body does not start with the Kubernetes protobuf prefix "k8s\\x00"');
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  let contentEncoding = '';
  for (const { num, v } of fields(body.subarray(4), 'runtime.Unknown')) {
    if (num === 1) {
      for (const tm of fields(asBytes(v, 'typeMeta'), 'typeMeta')) {
        if (tm.num === 1) apiVersion = asBytes(tm.v, 'apiVersion').toString('utf8');
        if (tm.num === 2) kind = asBytes(tm.v, 'kind').toString('utf8');
      }
    } else if (num === 2) raw = asBytes(v, 'raw');
    else if (num === 3) contentEncoding = asBytes(v, 'contentEncoding').toString('utf8');
  }
  if (contentEncoding) throw new ProtobufDecodeError(`unsupported contentEncoding ${JSON.stringify(contentEncoding)}`);
  const message = DECODABLE_KINDS[`${apiVersion}/${kind}`];
  if (!message)
    throw new ProtobufDecodeError(
      `no protobuf decoding for ${apiVersion}, Kind=${kind} (only ${Object.keys(DECODABLE_KINDS).join(', ')})`,
    );
  return { apiVersion, kind, ...decodeMessage(raw ?? Buffer.alloc(0), message) };
}
