// One line per check, as tests/run reads them: "ok - NAME", or
// "not ok - NAME" with the details indented beneath it. The process exits
// 1 when any check failed.
'use strict';
let failures = 0;

function ok(name) {
	console.log(`ok - ${name}`);
}

function notOk(name, details = []) {
	failures++;
	console.log(`not ok - ${name}`);
	const max = 30;
	for (const d of details.slice(0, max)) console.log(`    ${String(d).replace(/\n/g, '\n    ')}`);
	if (details.length > max) console.log(`    … and ${details.length - max} more`);
}

// A check passes when it found no problems; @problems is a list of lines.
function check(name, problems) {
	if (problems.length) notOk(name, problems);
	else ok(name);
}

// A check that holds when @cond does; @details (a line or a list of
// lines) are printed when it fails. Returns @cond.
function expect(cond, name, details = []) {
	if (cond) ok(name);
	else notOk(name, [].concat(details));
	return cond;
}

process.on('exit', code => {
	if (code === 0 && failures) process.exitCode = 1;
});

module.exports = { ok, notOk, check, expect, failures: () => failures };
