import protobuf from 'protobufjs';
import { envoyProtoRoot } from './proto-root.js';
import { messageSchema } from './message-schema.js';
const root = envoyProtoRoot();
const seen = new Map<string, number>();
const visit = (ns: protobuf.NamespaceBase) => { for (const o of ns.nestedArray) { if (o instanceof protobuf.Type) { const s = messageSchema(o); for (const f of s.absentFailures) { const k = f.message; seen.set(k, (seen.get(k) ?? 0) + 1); if (!k.startsWith('is required') || k.includes('default')) if (/config\.(cluster|route|listener|bootstrap|core)/.test(s.fullName)) console.log(s.fullName + '.' + f.field.name, '→', k); } } if ((o as any).nestedArray) visit(o as any); } };
const t = performance.now(); visit(root); console.log('schemas built in', (performance.now() - t).toFixed(0), 'ms');
console.log([...seen].sort((a, b) => b[1] - a[1]));
