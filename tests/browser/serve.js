// A tiny static file server for the browser tests, on 127.0.0.1 and an
// ephemeral port. It serves a built site the way a plain static host does:
// /c/x/ is c/x/index.html, /c/x (a folder) redirects to /c/x/, anything
// missing gets 404.html with status 404. Nothing outside the folder is
// reachable. Used as a module (start(dir) -> {url, close}) or run as
// `node serve.js DIR [PORT]` to look at a site by hand.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const TYPES = {
	'.html': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.json': 'application/json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.csv': 'text/csv; charset=utf-8',
	'.atom': 'application/atom+xml',
	'.xml': 'application/xml',
	'.txt': 'text/plain; charset=utf-8',
	'.bib': 'application/x-bibtex; charset=utf-8',
	'.ris': 'application/x-research-info-systems; charset=utf-8',
};

function isFile(p) {
	try { return fs.statSync(p).isFile(); } catch { return false; }
}
function isDir(p) {
	try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

function handler(root) {
	return (req, res) => {
		const send = (status, file, headers = {}) => {
			const body = file ? fs.readFileSync(file) : Buffer.alloc(0);
			res.writeHead(status, {
				'Content-Type': file ? TYPES[path.extname(file)] || 'application/octet-stream' : 'text/plain',
				'Content-Length': body.length,
				'Cache-Control': 'no-store',
				...headers,
			});
			res.end(req.method === 'HEAD' ? undefined : body);
		};
		const notFound = () => {
			const f = path.join(root, '404.html');
			isFile(f) ? send(404, f) : send(404, null);
		};
		if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, null, { Allow: 'GET, HEAD' });
		let u;
		try { u = new URL(req.url, 'http://127.0.0.1'); } catch { return notFound(); }
		let rel;
		try { rel = decodeURIComponent(u.pathname); } catch { return notFound(); }
		const p = path.normalize(path.join(root, rel));
		if (p !== root && !p.startsWith(root + path.sep)) return notFound();
		if (rel.endsWith('/')) {
			const f = path.join(p, 'index.html');
			return isFile(f) ? send(200, f) : notFound();
		}
		if (isFile(p)) return send(200, p);
		if (isDir(p) && isFile(path.join(p, 'index.html')))
			return send(301, null, { Location: u.pathname + '/' + u.search });
		return notFound();
	};
}

// Serve @dir; resolves to { url: 'http://127.0.0.1:PORT', close() }.
function start(dir, port = 0) {
	const root = path.resolve(dir);
	const server = http.createServer(handler(root));
	return new Promise((resolve, reject) => {
		server.on('error', reject);
		server.listen(port, '127.0.0.1', () => {
			const url = `http://127.0.0.1:${server.address().port}`;
			resolve({ url, close: () => new Promise(r => { server.closeAllConnections?.(); server.close(r); }) });
		});
	});
}

module.exports = { start };

if (require.main === module) {
	const [dir, port] = process.argv.slice(2);
	if (!dir) { console.error('usage: node serve.js DIR [PORT]'); process.exit(2); }
	start(dir, +port || 0).then(s => console.log(`serving ${dir} at ${s.url}/`));
}
