// The test world's stand-in for mendhak/http-https-echo, the examples' backend: answers every request with what it
// received, as JSON, with that image's field names (path, originalUrl, method, headers, hostname, query, body,
// os.hostname). Like the image it listens on HTTP_PORT (default 8080) and honours the request header or query
// parameter x-set-response-status-code and x-set-response-delay-ms.
import http from 'node:http';

const port = Number(process.env.HTTP_PORT ?? 8080);
const pod = process.env.HOSTNAME ?? 'echo';

function option(req: http.IncomingMessage, url: URL, name: string): string | undefined {
  const h = req.headers[name];
  return (Array.isArray(h) ? h[0] : h) ?? url.searchParams.get(name) ?? undefined;
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://echo');
    const status = Number(option(req, url, 'x-set-response-status-code') ?? 200);
    const delay = Number(option(req, url, 'x-set-response-delay-ms') ?? 0);
    const body = JSON.stringify({
      path: url.pathname,
      originalUrl: req.url,
      method: req.method,
      headers: req.headers,
      hostname: (req.headers.host ?? '').replace(/:\d+$/, ''),
      query: Object.fromEntries(url.searchParams),
      body: Buffer.concat(chunks).toString('utf8'),
      os: { hostname: pod },
    });
    setTimeout(() => {
      res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    }, delay);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '0.0.0.0');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
