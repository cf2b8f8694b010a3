// The upstream of the test world's Services (image portico-world/echo:1): answers every request with what it
// received, as JSON: the pod that answered, method, raw path, Host and headers. Env: PORT (default 8080),
// STATUS (the status to answer with, default 200).
import http from 'node:http';

const port = Number(process.env.PORT ?? 8080);
const status = Number(process.env.STATUS ?? 200);
const pod = process.env.HOSTNAME ?? 'echo';

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.stringify({
      pod,
      method: req.method,
      path: req.url,
      host: req.headers.host,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '0.0.0.0');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
